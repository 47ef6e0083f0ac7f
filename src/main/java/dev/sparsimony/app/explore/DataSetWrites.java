package dev.sparsimony.app.explore;

import io.fair_acc.dataset.DataSet;
import io.fair_acc.dataset.locks.DefaultDataSetLock;
import javafx.application.Platform;

/**
 * Writes to a ChartFX data set under its write lock. A chart holds its data sets' read locks from its layout pass
 * until the end of that pulse, and the locks are not reentrant: a write on the JavaFX thread in that window would
 * wait for itself. Such a write is queued behind the pulse instead (writes to one set keep their order).
 */
final class DataSetWrites {
    private DataSetWrites() {
    }

    static void write(DataSet ds, Runnable change) {
        if (ds.lock() instanceof DefaultDataSetLock<?> l && l.getReaderCount() > 0 && Platform.isFxApplicationThread()) {
            Platform.runLater(() -> write(ds, change));
            return;
        }
        ds.lock().writeLockGuard(change);
    }
}
