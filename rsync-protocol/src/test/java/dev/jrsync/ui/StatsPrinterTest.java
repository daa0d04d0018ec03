package dev.jrsync.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Byte counts as rsync's human_num prints them (values checked against stock rsync 3.5.0's --stats). */
class StatsPrinterTest {
    @Test
    void dashHUsesUnitsFromAUnitUp() {
        assertEquals("50000", StatsPrinter.num(50_000, 0), "--no-h");
        assertEquals("50,000", StatsPrinter.num(50_000, 1), "the default");
        assertEquals("50.00K", StatsPrinter.num(50_000, 2));
        assertEquals("50.12K", StatsPrinter.num(50_122, 2));
        assertEquals("48.95K", StatsPrinter.num(50_122, 3), "-hh: units of 1024");
        assertEquals("38", StatsPrinter.num(38, 2));
        assertEquals("1.50M", StatsPrinter.num(1_500_000, 2));
        assertEquals("999", StatsPrinter.num(999, 2));
    }
}
