package dev.jrsync.flist;

/**
 * The shape every received file-list name must have (rsync/flist.c:recv_file_entry with
 * rsync/util1.c:clean_fname and CFN_REFUSE_DOT_DOT_DIRS). Where rsync cleans up odd names we
 * refuse them: a stock sender only sends clean ones.
 */
final class SafeNames {
    private SafeNames() {}

    /**
     * {@code .} alone (the transfer root), or '/'-separated components that are neither empty
     * (so no leading, trailing or doubled '/') nor {@code .} nor {@code ..}, and no NUL byte.
     */
    static boolean isSafeRelative(byte[] name) {
        if (name.length == 1 && name[0] == '.') {
            return true;
        }
        int start = 0;
        for (int i = 0; i <= name.length; i++) {
            if (i < name.length && name[i] == 0) {
                return false;
            }
            if (i == name.length || name[i] == '/') {
                int len = i - start;
                if (len == 0
                        || (len == 1 && name[start] == '.')
                        || (len == 2 && name[start] == '.' && name[start + 1] == '.')) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }
}
