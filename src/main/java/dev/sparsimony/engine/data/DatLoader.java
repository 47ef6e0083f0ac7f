package dev.sparsimony.engine.data;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * hls4ml test-bench text files ({@code tb_input_features.dat}, {@code *_inputs.dat}): one sample per line, values
 * separated by spaces (tabs and commas tolerated), no header; the values are the Keras input flattened row-major
 * (hls4ml's templates/vivado/myproject_test.cpp reads them this way). Labels only from
 * {@code options.labelsFile}: the companion {@code tb_output_predictions.dat} holds reference outputs, not labels
 * (read it with {@link DataFiles#loadDat}).
 */
final class DatLoader implements DataLoader {
    @Override
    public String formatName() {
        return "text (hls4ml .dat)";
    }

    @Override
    public List<String> extensions() {
        return List.of("*.dat", "*.txt");
    }

    @Override
    public boolean accepts(Path path, byte[] head) {
        // other text only when it starts like numbers (so JSON, YAML... are "unsupported", not "not a number")
        return DataFiles.hasExtension(path, "dat", "txt") || (DataFiles.isText(head) && DataFiles.startsNumeric(head));
    }

    @Override
    public Dataset load(Path path, DataOptions options) throws IOException {
        String name = String.valueOf(path.getFileName());
        Tensor x = readMatrix(path);
        return new Dataset(name, x, DataFiles.externalLabels(options, () -> null, x.dim(0), name));
    }

    static Tensor readMatrix(Path path) throws IOException {
        String name = String.valueOf(path.getFileName());
        List<float[]> rows = new ArrayList<>();
        int width = -1;
        int firstLine = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(DataFiles.open(path),
                StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty()) {
                    continue;
                }
                String[] cells = s.split("[\\s,]+");
                if (width < 0) {
                    width = cells.length;
                    firstLine = lineNo;
                } else if (cells.length != width) {
                    throw new ModelException("data '" + name + "' line " + lineNo + " has " + cells.length
                            + " values, but line " + firstLine + " has " + width);
                }
                float[] v = new float[width];
                for (int c = 0; c < width; c++) {
                    Float f = CsvLoader.parse(cells[c]);
                    if (f == null) {
                        throw new ModelException("data '" + name + "' line " + lineNo + ", value " + (c + 1) + ": '"
                                + dev.sparsimony.engine.model.Problems.excerpt(cells[c]) + "' is not a number");
                    }
                    v[c] = f;
                }
                rows.add(v);
            }
        }
        if (rows.isEmpty()) {
            throw new ModelException("data '" + name + "' is empty");
        }
        float[] all = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, all, i * width, width);
        }
        return Tensor.of(all, rows.size(), width);
    }
}
