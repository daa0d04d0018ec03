package dev.jrsync.options;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --stop-at=WHEN} and {@code --stop-after=MINS} ({@code rsync/options.c:parse_time}): when a run stops,
 * as seconds since the epoch. WHEN is local time, {@code [[YY]YY-]MM-DD[Thh:mm]}, {@code [T]hh:mm} or
 * {@code :mm}, '/' also separating the date; a part left out is the current one, moved on (by a day, a month, a
 * year or an hour) until the time is in the future, as rsync does. A time not in the future is refused.
 */
final class StopTime {
    private StopTime() {}

    private static final Pattern WHEN = Pattern.compile(
            "(?:(?:(\\d+)[-/])?(\\d+)[-/](\\d+))?(?:[Tt:]?(?:(\\d+):)?(\\d+))?");

    /** {@code --stop-after}: minutes from {@code nowSeconds}. */
    static long after(String minutes, long nowSeconds) {
        long m;
        try {
            m = Long.parseLong(minutes.trim());
        } catch (NumberFormatException e) {
            m = 0;
        }
        if (m <= 0 || m > Long.MAX_VALUE / 60 - nowSeconds / 60) {
            throw OptionException.syntax("invalid --stop-after value: " + minutes);
        }
        return nowSeconds + m * 60;
    }

    /** {@code --stop-at}, relative to {@code now} in {@code zone}. */
    static long at(String when, ZonedDateTime now) {
        long t = parse(when, now);
        if (t <= now.toEpochSecond()) {
            throw OptionException.syntax("--stop-at time is not in the future: " + when);
        }
        return t;
    }

    private static long parse(String when, ZonedDateTime now) {
        Matcher m = WHEN.matcher(when);
        boolean hasDate = when.matches("\\d+[-/]\\d+.*");
        boolean hasTime = when.contains(":");
        if (when.isEmpty() || !m.matches() || !hasDate && !hasTime || hasDate && m.group(5) != null && !hasTime) {
            throw invalid(when);
        }
        ZoneId zone = now.getZone();
        LocalDateTime today = now.toLocalDateTime();
        try {
            if (!hasDate && m.group(4) == null) {
                // ":mm": this hour's minute, or the next hour's once it has passed
                LocalDateTime t = today.truncatedTo(ChronoUnit.HOURS).withMinute(minute(m.group(5), when));
                return (t.atZone(zone).toEpochSecond() <= now.toEpochSecond() ? t.plusHours(1) : t)
                        .atZone(zone).toEpochSecond();
            }
            int hour = hasTime ? hour(m.group(4), when) : 0;
            int minute = hasTime ? minute(m.group(5), when) : 0;
            int day = hasDate ? Integer.parseInt(m.group(3)) : today.getDayOfMonth();
            int month = hasDate ? Integer.parseInt(m.group(2)) : today.getMonthValue();
            Integer year = hasDate && m.group(1) != null ? year(Integer.parseInt(m.group(1)), today.getYear()) : null;
            if (month < 1 || month > 12 || day < 1 || day > 31) {
                throw invalid(when);
            }
            if (!hasDate) {
                // the day left out: today, else tomorrow
                LocalDateTime t = today.toLocalDate().atTime(hour, minute);
                return (t.atZone(zone).toEpochSecond() <= now.toEpochSecond() ? t.plusDays(1) : t)
                        .atZone(zone).toEpochSecond();
            }
            int y = year != null ? year : today.getYear();
            LocalDateTime t = LocalDate.of(y, month, day).atTime(hour, minute);
            if (year == null && t.atZone(zone).toEpochSecond() <= now.toEpochSecond()) {
                t = LocalDate.of(y + 1, month, day).atTime(hour, minute); // the year left out: next year's
            }
            return t.atZone(zone).toEpochSecond();
        } catch (DateTimeException | NumberFormatException e) {
            throw invalid(when);
        }
    }

    private static int year(int y, int thisYear) {
        if (y >= 100) {
            return y;
        }
        int full = thisYear - thisYear % 100 + y;
        return full < thisYear ? full + 100 : full;
    }

    private static int hour(String h, String when) {
        int v = h == null ? -1 : Integer.parseInt(h);
        if (v < 0 || v > 23) {
            throw invalid(when);
        }
        return v;
    }

    private static int minute(String m, String when) {
        int v = Integer.parseInt(m);
        if (v > 59) {
            throw invalid(when);
        }
        return v;
    }

    private static OptionException invalid(String when) {
        return OptionException.syntax("invalid --stop-at format: " + when);
    }
}
