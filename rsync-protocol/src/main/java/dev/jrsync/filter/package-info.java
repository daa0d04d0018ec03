/**
 * rsync's filter rules ({@code rsync/exclude.c}, {@code rsync/lib/wildmatch.c}).
 *
 * <p>{@link dev.jrsync.filter.FilterRules} is a transfer's top-level list, parsed from a client's
 * options ({@code fromArgs}) or received by a server ({@code receive}), and encoded for the peer
 * ({@code encode}). {@link dev.jrsync.filter.FilterRules#view} gives the
 * {@link dev.jrsync.fs.ScanFilter} one side applies: the sender's scan, or the receiver's deletions
 * (an excluded name is one deletion leaves alone). A view reads per-directory merge files as the scan
 * enters each directory.
 *
 * <p>Inside: {@code RuleParser} (rule syntax and rules files), {@code RuleSink} (one list being built),
 * {@code FilterRule} (one rule and {@code rule_matches}), {@code WildMatch}, {@code RulePrefix} and
 * {@code RuleListCodec} (the wire form), {@code Elision} (which side a top-level rule belongs to).
 */
package dev.jrsync.filter;
