package dev.sparsimony.app.dialogs;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Dialogs owned by the main window. Call on the JavaFX thread. */
public final class FxDialogService implements DialogService {
    private final Window owner;

    public FxDialogService(Window owner) {
        this.owner = owner;
    }

    @Override
    public void showError(String title, String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR, "", ButtonType.OK);
        alert.initOwner(owner);
        alert.setTitle("Sparsimony");
        alert.setHeaderText(title);
        // a wrapping label: engine messages are one line but may be long (paths)
        Label text = new Label(message);
        text.setWrapText(true);
        text.setMaxWidth(520);
        text.setId("error-message");
        alert.getDialogPane().setContent(text);
        alert.getDialogPane().getStyleClass().add("sparsimony-dialog");
        alert.show();
    }

    @Override
    public boolean confirm(String title, String question) {
        ButtonType goOn = new ButtonType("Continue", javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", goOn, ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle("Sparsimony");
        alert.setHeaderText(title);
        Label text = new Label(question);
        text.setWrapText(true);
        text.setMaxWidth(520);
        text.setId("confirm-message");
        alert.getDialogPane().setContent(text);
        alert.getDialogPane().getStyleClass().add("sparsimony-dialog");
        return alert.showAndWait().filter(b -> b == goOn).isPresent();
    }

    @Override
    public Optional<Path> chooseModel(Path initialDirectory) {
        FileChooser fc = chooser("Open model", initialDirectory);
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Models (*.onnx, *.h5, *.keras, *.json)", "*.onnx", "*.h5",
                        "*.keras", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        File f = fc.showOpenDialog(owner);
        return Optional.ofNullable(f).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseModelFolder(Path initialDirectory) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Open model folder");
        if (initialDirectory != null && Files.isDirectory(initialDirectory)) {
            dc.setInitialDirectory(initialDirectory.toFile());
        }
        File f = dc.showDialog(owner);
        return Optional.ofNullable(f).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseData(Path initialDirectory) {
        FileChooser fc = chooser("Open validation data", initialDirectory);
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Data (*.npz, *.npy, *.csv, *.h5)", "*.npz", "*.npy", "*.csv",
                        "*.h5"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        File f = fc.showOpenDialog(owner);
        return Optional.ofNullable(f).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseDesignPointTarget(Path initialDirectory, String suggestedName) {
        FileChooser fc = chooser("Save design point", initialDirectory);
        fc.setInitialFileName(suggestedName);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Design point (*.json)", "*.json"));
        File f = fc.showSaveDialog(owner);
        return Optional.ofNullable(f).map(File::toPath);
    }

    private static FileChooser chooser(String title, Path initialDirectory) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        if (initialDirectory != null && Files.isDirectory(initialDirectory)) {
            fc.setInitialDirectory(initialDirectory.toFile());
        }
        return fc;
    }
}
