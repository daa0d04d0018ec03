package dev.jrsync.fs;

import dev.jrsync.flist.XattrRules;
import dev.jrsync.flist.XattrSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file's extended attributes as {@code -X} sends and compares them ({@code rsync/xattrs.c:rsync_xal_get}): the
 * names {@link XattrRules#reads} lets this side see, sorted, each value kept whole or as its digest when long.
 */
public final class LocalXattrs {
    private LocalXattrs() {}

    /** The attributes of {@code path} itself (a symlink's own); {@code sender}: read for a file list. */
    public static XattrSet get(Path path, XattrRules rules, boolean sender) throws IOException {
        List<XattrSet.Item> items = new ArrayList<>();
        for (byte[] name : Xattrs.llist(path)) {
            if (!rules.reads(name, sender)) {
                continue;
            }
            byte[] value = Xattrs.lget(path, name);
            if (value != null) { // removed since it was listed
                items.add(XattrSet.item(name, value, 0));
            }
        }
        if (items.isEmpty()) {
            return XattrSet.EMPTY;
        }
        items.sort((a, b) -> XattrSet.compareNames(a.name(), b.name()));
        List<XattrSet.Item> numbered = new ArrayList<>(items.size());
        for (XattrSet.Item it : items) { // the sender numbers them in the order sent
            numbered.add(new XattrSet.Item(it.name(), it.length(), it.datum(), numbered.size() + 1));
        }
        return new XattrSet(numbered);
    }
}
