package dev.jrsync.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** {@code --stop-at}'s forms as rsync's parse_time reads them, at a fixed "now" (2026-12-07 10:00 UTC). */
class StopTimeTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 7, 10, 0, 0, 0, ZoneOffset.UTC);

    private static long at(int y, int mo, int d, int h, int mi) {
        return ZonedDateTime.of(y, mo, d, h, mi, 0, 0, ZoneOffset.UTC).toEpochSecond();
    }

    @Test
    void partsLeftOutAreTheCurrentOnesMovedIntoTheFuture() {
        assertEquals(at(2026, 12, 8, 4, 6), StopTime.at("2026-12-08T04:06", NOW));
        assertEquals(at(2026, 12, 9, 0, 0), StopTime.at("26/12/09", NOW));
        assertEquals(at(2026, 12, 7, 11, 30), StopTime.at("11:30", NOW));
        assertEquals(at(2026, 12, 8, 4, 6), StopTime.at("T04:06", NOW), "past today: tomorrow");
        assertEquals(at(2026, 12, 7, 10, 30), StopTime.at(":30", NOW));
        assertEquals(at(2026, 12, 7, 11, 0), StopTime.at(":00", NOW), "this hour's has passed: the next");
        assertEquals(at(2026, 12, 8, 0, 0), StopTime.at("12-08", NOW));
        assertEquals(at(2027, 1, 1, 0, 0), StopTime.at("01-01", NOW), "past this year: next year's");
    }

    @Test
    void aTimeNotInTheFutureOrUnreadableIsRefused() {
        OptionException past = assertThrows(OptionException.class, () -> StopTime.at("2000-01-01T00:00", NOW));
        assertTrue(past.getMessage().contains("--stop-at time is not in the future: 2000-01-01T00:00"), past.getMessage());
        for (String bad : new String[] {"", "tomorrow", "25:00", "12-08T5", "13-01", "2026-12-08T04:6x"}) {
            OptionException e = assertThrows(OptionException.class, () -> StopTime.at(bad, NOW), bad);
            assertTrue(e.getMessage().contains("invalid --stop-at format"), e.getMessage());
        }
    }

    @Test
    void stopAfterCountsMinutes() {
        assertEquals(NOW.toEpochSecond() + 3600, StopTime.after("60", NOW.toEpochSecond()));
        assertThrows(OptionException.class, () -> StopTime.after("0", NOW.toEpochSecond()));
        assertThrows(OptionException.class, () -> StopTime.after("soon", NOW.toEpochSecond()));
    }
}
