package dev.sparsimony.app.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Most recently opened models, newest first, kept in user preferences (or in memory when none are given). */
public final class RecentFiles {
    private static final int MAX = 8;
    private final String key;
    private final Preferences prefs;
    private final ObservableList<Path> items = FXCollections.observableArrayList();

    /** @param prefs where to persist the list, or null to keep it in memory only (tests) */
    public RecentFiles(Preferences prefs) {
        this(prefs, "recent.");
    }

    /** @param key prefix of this list's entries (models "recent.", sessions "recent-session.") */
    public RecentFiles(Preferences prefs, String key) {
        this.prefs = prefs;
        this.key = key;
        if (prefs != null) {
            for (int i = 0; i < MAX; i++) {
                String s = prefs.get(key + i, null);
                if (s != null && !s.isBlank()) {
                    items.add(Path.of(s));
                }
            }
        }
    }

    public static RecentFiles userPreferences() {
        return userPreferences("recent.");
    }

    public static RecentFiles userPreferences(String key) {
        try {
            return new RecentFiles(Preferences.userNodeForPackage(RecentFiles.class), key);
        } catch (RuntimeException | LinkageError e) {
            return new RecentFiles(null, key);
        }
    }

    public ObservableList<Path> items() {
        return items;
    }

    public void add(Path path) {
        Path p = path.toAbsolutePath().normalize();
        List<Path> list = new ArrayList<>(items);
        list.remove(p);
        list.add(0, p);
        while (list.size() > MAX) {
            list.remove(list.size() - 1);
        }
        items.setAll(list);
        if (prefs != null) {
            try {
                for (int i = 0; i < MAX; i++) {
                    if (i < list.size()) {
                        prefs.put(key + i, list.get(i).toString());
                    } else {
                        prefs.remove(key + i);
                    }
                }
            } catch (RuntimeException e) {
                // preferences are a convenience: never fail an open because they cannot be written
            }
        }
    }
}
