package com.tesaiot.publish.cli;

import java.io.PrintWriter;

/** Standard output that remembers whether anything was written to it: a failure's JSON stands in only for nothing. */
final class WatchedWriter extends PrintWriter {
    private volatile boolean written;

    WatchedWriter(PrintWriter out) {
        super(out);
    }

    boolean written() {
        return written;
    }

    @Override
    public void write(int c) {
        written = true;
        super.write(c);
    }

    @Override
    public void write(char[] buffer, int offset, int length) {
        written = true;
        super.write(buffer, offset, length);
    }

    @Override
    public void write(String text, int offset, int length) {
        written = true;
        super.write(text, offset, length);
    }
}
