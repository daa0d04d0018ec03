package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The {@code name converter} line protocol ({@code rsync/clientserver.c:namecvt_call}) as byte vectors: the
 * requests written for canned answers, the answers that map and those that must not (empty, not digits, beyond
 * 32 bits, the helper gone), and a peer's name with a control character, which never reaches the helper
 * (rsync's suite daemon-namecvt-newline-token).
 */
class NameConverterTest {
    private final ByteArrayOutputStream requests = new ByteArrayOutputStream();
    private final List<String> errors = new ArrayList<>();

    private NameConverter answering(String answers) {
        return new NameConverter(requests, new ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)),
                errors::add);
    }

    @Test
    void namesAndIdsAskedOneLineEach() {
        NameConverter c = answering("1001\n2002\r\nalice\nstaff\n");
        assertEquals(OptionalInt.of(1001), c.uidOf("alice"));
        assertEquals(OptionalInt.of(2002), c.gidOf("staff"));
        assertEquals("alice", c.userName(1001));
        assertEquals("staff", c.groupName(-1));
        assertEquals("usr alice\ngrp staff\nuid 1001\ngid 4294967295\n", requests.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(), errors);
    }

    @Test
    void anAnswerThatIsNoIdMapsNothing() {
        NameConverter c = answering("\n12a\n-1\n4294967296\n4294967295\n");
        assertEquals(OptionalInt.empty(), c.uidOf("a"), "an unknown name's empty answer is not root");
        assertEquals(OptionalInt.empty(), c.uidOf("b"));
        assertEquals(OptionalInt.empty(), c.uidOf("c"));
        assertEquals(OptionalInt.empty(), c.uidOf("d"), "beyond 32 bits");
        assertEquals(OptionalInt.of(-1), c.uidOf("e"), "the largest id");
        assertEquals(OptionalInt.empty(), c.gidOf("f"), "the helper has ended");
        assertNull(c.userName(7));
    }

    @Test
    void aNameWithAControlCharacterIsRefusedBeforeTheHelperSeesIt() {
        NameConverter c = answering("123\n");
        assertEquals(OptionalInt.empty(), c.uidOf("bad\nname"));
        assertEquals(OptionalInt.empty(), c.gidOf("del\u007f"));
        assertEquals("", requests.toString(StandardCharsets.UTF_8));
        assertEquals(2, errors.size(), errors.toString());
        assertEquals(true, errors.getFirst().startsWith("invalid name-converter token: bad"), errors.toString());
        assertEquals(OptionalInt.of(123), c.uidOf("good name"), "the next answer is still the next request's");
    }

    /**
     * A name is asked about once a session: the receiver looks an inline name up as it arrives (before the
     * sender's id lists) and again when it maps the owners, and a refused one is reported once.
     */
    @Test
    void eachNameIsAskedOnce() {
        NameConverter c = answering("1001\n");
        assertEquals(OptionalInt.of(1001), c.uidOf("alice"));
        assertEquals(OptionalInt.of(1001), c.uidOf("alice"));
        assertEquals(OptionalInt.empty(), c.uidOf("bad\nname"));
        assertEquals(OptionalInt.empty(), c.uidOf("bad\nname"));
        assertEquals("usr alice\n", requests.toString(StandardCharsets.UTF_8));
        assertEquals(1, errors.size(), errors.toString());
    }

    @Test
    void anAnswerLongerThanRsyncsBufferIsCutThere() {
        NameConverter c = answering("x".repeat(5000) + "\n");
        assertEquals(NameConverter.MAX_LINE - 1, c.userName(1).length());
    }
}
