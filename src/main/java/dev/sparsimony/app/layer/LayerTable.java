package dev.sparsimony.app.layer;

import dev.sparsimony.app.model.LayerRow;
import java.util.function.Function;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Rectangle;

/** The model's layers in graph order; numbers right-aligned in a monospace font; selection two-way bound by name. */
public final class LayerTable extends TableView<LayerRow> {
    private boolean syncing;

    public LayerTable(ObservableList<LayerRow> rows, ObjectProperty<String> selected) {
        super(rows);
        setId("layer-table");
        getStyleClass().add("layer-table");
        setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        setPlaceholder(new Label("Open a model (Ctrl+O) or drop a file here"));

        TableColumn<LayerRow, String> name = text("Layer", LayerRow::name, 90);
        TableColumn<LayerRow, String> type = text("Type", LayerRow::type, 88);
        TableColumn<LayerRow, String> shape = text("Output", LayerRow::outputShape, 96);
        shape.getStyleClass().add("num");
        TableColumn<LayerRow, String> params = text("Params", r -> r.parameters() == 0 ? "" :
                String.format("%,d", r.parameters()), 72);
        params.getStyleClass().addAll("num", "right");
        TableColumn<LayerRow, LayerRow> sparsity = new TableColumn<>("Sparsity");
        sparsity.setPrefWidth(112);
        sparsity.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        sparsity.setCellFactory(c -> new SparsityCell());
        sparsity.setSortable(false);
        TableColumn<LayerRow, String> bits = text("Bits", r -> r.bits() == 0 ? "" : String.valueOf(r.bits()), 40);
        bits.getStyleClass().addAll("num", "right");
        getColumns().addAll(java.util.List.of(name, type, shape, params, sparsity, bits));

        setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(LayerRow item, boolean empty) {
                super.updateItem(item, empty);
                pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("weightless"),
                        !empty && item != null && !item.prunable());
            }
        });

        getSelectionModel().selectedItemProperty().addListener((obs, o, n) -> {
            if (!syncing && n != null) {
                selected.set(n.name());
            }
        });
        selected.addListener((obs, o, n) -> select(n));
        // rows are replaced on every pruning result: keep the selection on the same layer name
        rows.addListener((ListChangeListener<LayerRow>) c -> select(selected.get()));
    }

    private void select(String layer) {
        syncing = true;
        try {
            for (int i = 0; i < getItems().size(); i++) {
                if (getItems().get(i).name().equals(layer)) {
                    if (getSelectionModel().getSelectedIndex() != i) {
                        getSelectionModel().clearAndSelect(i);
                    }
                    return;
                }
            }
            getSelectionModel().clearSelection();
        } finally {
            syncing = false;
        }
    }

    private static TableColumn<LayerRow, String> text(String title, Function<LayerRow, String> f, double width) {
        TableColumn<LayerRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(f.apply(cd.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }

    /** Sparsity as a number and a small bar. */
    private static final class SparsityCell extends TableCell<LayerRow, LayerRow> {
        private final Rectangle track = new Rectangle(44, 6);
        private final Rectangle fill = new Rectangle(0, 6);
        private final Label text = new Label();
        private final HBox box;

        SparsityCell() {
            track.getStyleClass().add("bar-track");
            fill.getStyleClass().add("bar-fill");
            StackPane bar = new StackPane(track, fill);
            bar.setAlignment(Pos.CENTER_LEFT);
            text.getStyleClass().add("num");
            text.setMinWidth(52);
            text.setAlignment(Pos.CENTER_RIGHT);
            box = new HBox(6, text, bar);
            box.setAlignment(Pos.CENTER_RIGHT);
            HBox.setHgrow(text, Priority.ALWAYS);
            setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(LayerRow r, boolean empty) {
            super.updateItem(r, empty);
            if (empty || r == null || Double.isNaN(r.sparsity())) {
                setGraphic(null);
                return;
            }
            text.setText(String.format("%.1f %%", 100 * r.sparsity()));
            fill.setWidth(44 * r.sparsity());
            setGraphic(box);
        }
    }
}
