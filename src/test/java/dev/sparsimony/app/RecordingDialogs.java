package dev.sparsimony.app;

import dev.sparsimony.app.dialogs.DialogService;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A dialog service that records errors instead of showing them (from any thread). */
final class RecordingDialogs implements DialogService {
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<String> questions = new CopyOnWriteArrayList<>();
    /** The answer to every question. */
    volatile boolean answer;
    /** The folder every export is answered with (null: the export is cancelled). */
    volatile Path exportFolder;

    @Override
    public boolean confirm(String title, String question) {
        questions.add(title + ": " + question);
        return answer;
    }

    @Override
    public void showError(String title, String message) {
        errors.add(title + ": " + message);
    }

    @Override
    public Optional<Path> chooseModel(Path initialDirectory) {
        return Optional.empty();
    }

    @Override
    public Optional<Path> chooseModelFolder(Path initialDirectory) {
        return Optional.empty();
    }

    @Override
    public Optional<Path> chooseExportFolder(Path initialDirectory) {
        return Optional.ofNullable(exportFolder);
    }

    @Override
    public Optional<Path> chooseData(Path initialDirectory) {
        return Optional.empty();
    }

    @Override
    public Optional<Path> chooseDesignPointTarget(Path initialDirectory, String suggestedName) {
        return Optional.empty();
    }
}
