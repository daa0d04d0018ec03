package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolOutput;
import java.util.HashMap;
import java.util.Map;

/**
 * The sending half of a file-list entry's attributes under {@code -X} ({@code rsync/xattrs.c:send_xattr}): a set
 * sent before goes as its index plus one; a new one as 0, its count, and each item's name length (with its NUL),
 * value length, name and NUL, then the value, or only its digest when it is long. One per connection, since the
 * indices are the connection's.
 */
public final class XattrListWriter {
    private final XattrRules rules;
    /** rsync's {@code rsync_xal_l} on the sender: each set sent in full, by the index the receiver files it under. */
    private final Map<XattrSet, Integer> sent = new HashMap<>();

    public XattrListWriter(XattrRules rules) {
        this.rules = rules;
    }

    public void write(ProtocolOutput out, XattrSet set) {
        Integer ndx = sent.get(set);
        if (ndx != null) {
            out.writeVarint(ndx + 1);
            return;
        }
        out.writeVarint(0);
        out.writeVarint(set.size());
        for (XattrSet.Item it : set.items()) {
            byte[] name = rules.wireName(it.name());
            out.writeVarint(name.length + 1);
            out.writeVarint(it.length());
            out.write(name);
            out.writeByte(0);
            out.write(it.datum());
        }
        sent.put(set, sent.size());
    }
}
