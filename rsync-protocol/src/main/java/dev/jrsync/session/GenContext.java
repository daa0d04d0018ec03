package dev.jrsync.session;

/**
 * What the generator's parts share for one run, made once when {@link Generator#generateFiles} knows its basis
 * directories: rsync's {@code generator.c} keeps these in file-scope statics that {@code recv_generator} and
 * its helpers all read.
 */
record GenContext(RecvContext recv, Generator.Settings settings, QuickCheck quickCheck, Deleter deleter,
                  AltDestBasis altDest, FuzzyBasis fuzzy, Itemizer itemizer) {}
