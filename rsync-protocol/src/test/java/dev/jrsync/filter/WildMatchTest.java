package dev.jrsync.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** rsync's wildmatch semantics (man page: INCLUDE/EXCLUDE PATTERN RULES), one case a row. */
class WildMatchTest {

    @ParameterizedTest(name = "{1} ~ {2} -> {0}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | foo          | foo
            false | foo          | bar
            true  | ''           | ''
            true  | foo          | ???
            false | foo          | ??
            true  | foo          | *
            true  | foo          | f*
            false | foo          | *f
            true  | foobar       | *ob*a*r*
            true  | aaaaaaabababab | *ab
            true  | foo*         | foo\\*
            false | foobar       | foo\\*bar
            true  | f\\oo        | f\\\\oo
            true  | ball         | *[al]?
            false | ten          | [ten]
            true  | ten          | **[!te]
            false | ten          | **[!ten]
            true  | ten          | t[a-g]n
            false | ten          | t[!a-g]n
            true  | ton          | t[!a-g]n
            true  | ton          | t[^a-g]n
            true  | a]b          | a[]]b
            true  | a-b          | a[]-]b
            true  | a]b          | a[]-]b
            false | aab          | a[]-]b
            true  | aab          | a[]a-]b
            true  | ]            | ]
            false | foo/bar      | foo*bar
            false | foo/bar      | foo?bar
            false | foo/bar      | foo[/]bar
            true  | foo/bar      | foo**bar
            true  | foo/bar      | foo/*
            false | foo/bar/baz  | foo/*
            true  | foo/bar/baz  | foo/**
            true  | foo/bba/arr  | foo/**/arr
            false | foo/bar      | foo/**/bar
            true  | foo/x/bar    | foo/**/bar
            true  | foo/x/y/bar  | foo/**/bar
            true  | foo/bb/aa/rr | **/bb/**/*
            true  | abc/def      | */*
            false | abc/def/ghi  | */*
            true  | 5            | [[:digit:]]
            false | a            | [[:digit:]]
            true  | A            | [[:upper:]]
            true  | q            | [[:alpha:][:digit:]]
            true  | 7            | [[:alpha:][:digit:]]
            false | _            | [[:alnum:]]
            true  | _            | [[:punct:]]
            true  | ' '          | [[:space:]]
            true  | f            | [[:xdigit:]]
            false | g            | [[:xdigit:]]
            false | a            | [[:bogus:]]
            true  | [            | [[:]
            false | x            | [abc
            true  | .profile     | .*
            true  | a.b.c        | *.c
            """)
    void matchesLikeRsync(boolean expected, String text, String pattern) {
        assertEquals(expected, WildMatch.matches(bytes(pattern), bytes(text)));
    }

    @ParameterizedTest(name = "{2} in {1} (where {3}) -> {0}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | a/b/c.o   | c.o     | 1
            false | a/b/c.o   | b.o     | 1
            true  | a/b/c     | b/c     | 2
            true  | x/a/b/c   | a/b/*   | 3
            false | b/c       | a/b/*   | 3
            true  | a/b/c     | a/*/c   | 0
            false | x/a/b/c   | a/*/c   | 0
            true  | x/a/b/c   | a/**    | -1
            true  | a/b/c     | b/**    | -1
            false | ab/c      | b/**    | -1
            """)
    void matchesArrayRespectsWhere(boolean expected, String text, String pattern, int where) {
        assertEquals(expected, WildMatch.matchesArray(bytes(pattern), bytes(text), where));
    }

    @ParameterizedTest(name = "literal {2} in {1} (where {3}) -> {0}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | x/a/b | a/b   | 2
            false | xa/b  | a/b   | 2
            true  | a/b   | a/b   | 0
            false | x/a/b | a/b   | 0
            """)
    void literalArrayRespectsWhere(boolean expected, String text, String literal, int where) {
        assertEquals(expected, WildMatch.literalArray(bytes(literal), bytes(text), where));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
