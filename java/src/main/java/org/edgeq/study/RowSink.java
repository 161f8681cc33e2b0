package org.edgeq.study;

import java.io.IOException;

/**
 * Where a compression run's rows go as each is finished: a command appends each to its results CSV at once and
 * prints it; a study cell keeps its rows and writes them together when the cell is done.
 */
@FunctionalInterface
public interface RowSink {
    void add(ResultRow row) throws IOException;
}
