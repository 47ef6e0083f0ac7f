package dev.sparsimony.app;

import dev.sparsimony.app.dialogs.DialogService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A dialog service that records errors instead of showing them. */
final class RecordingDialogs implements DialogService {
    final List<String> errors = new ArrayList<>();
    final List<String> questions = new ArrayList<>();
    /** The answer to every question. */
    volatile boolean answer;

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
    public Optional<Path> chooseData(Path initialDirectory) {
        return Optional.empty();
    }

    @Override
    public Optional<Path> chooseDesignPointTarget(Path initialDirectory, String suggestedName) {
        return Optional.empty();
    }
}
