package dev.sparsimony.engine.hardware;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsimony.engine.model.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The FPGA parts the resource model knows: the built-in JSON resource, then (overriding by name) the user's
 * {@code ~/.sparsimony/devices.json} and any file given explicitly (e.g. {@code --devices FILE}).
 * File format: {@code {"devices": [{"name": ..., "dsp": ..., ...}]}} with the fields of {@link Device}.
 */
public final class DeviceCatalogue {
    private static final String RESOURCE = "/dev/sparsimony/engine/hardware/devices.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Map<String, Device> devices;

    private DeviceCatalogue(Map<String, Device> devices) {
        this.devices = Map.copyOf(devices);
        this.order = List.copyOf(devices.keySet());
    }

    private final List<String> order;

    /** The built-in catalogue, read once (it is immutable). */
    private static volatile DeviceCatalogue builtIn;

    /** Only the built-in devices. */
    public static DeviceCatalogue builtIn() {
        DeviceCatalogue c = builtIn;
        if (c == null) {
            c = readBuiltIn();
            builtIn = c;
        }
        return c;
    }

    private static DeviceCatalogue readBuiltIn() {
        Map<String, Device> m = new LinkedHashMap<>();
        try (InputStream in = DeviceCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ModelException("the built-in device catalogue is missing from the build (" + RESOURCE + ")");
            }
            readInto(m, JSON.readTree(in), "built-in catalogue");
        } catch (IOException e) {
            throw new ModelException("cannot read the built-in device catalogue: " + e.getMessage(), e);
        }
        return new DeviceCatalogue(m);
    }

    /** Built-in devices, then ~/.sparsimony/devices.json if present, then each extra file (later names win). */
    public static DeviceCatalogue standard(Path... extraFiles) {
        DeviceCatalogue c = builtIn();
        Path user = Path.of(System.getProperty("user.home"), ".sparsimony", "devices.json");
        if (Files.isRegularFile(user)) {
            c = c.withFile(user);
        }
        for (Path p : extraFiles) {
            if (p != null) {
                c = c.withFile(p);
            }
        }
        return c;
    }

    /** This catalogue extended (and overridden by name) with the devices of a JSON file. */
    public DeviceCatalogue withFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelException("device file not found: " + file);
        }
        Map<String, Device> m = new LinkedHashMap<>(orderedMap());
        try {
            readInto(m, JSON.readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new ModelException("device file " + file.getFileName() + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return new DeviceCatalogue(m);
    }

    public DeviceCatalogue with(Device d) {
        Map<String, Device> m = new LinkedHashMap<>(orderedMap());
        m.put(key(d.name()), d);
        return new DeviceCatalogue(m);
    }

    private Map<String, Device> orderedMap() {
        Map<String, Device> m = new LinkedHashMap<>();
        for (String k : order) {
            m.put(k, devices.get(k));
        }
        return m;
    }

    private static void readInto(Map<String, Device> m, JsonNode root, String where) {
        JsonNode list = root.isArray() ? root : root.get("devices");
        if (list == null || !list.isArray()) {
            throw new ModelException(where + ": expected {\"devices\": [...]}");
        }
        for (JsonNode n : list) {
            Device d;
            try {
                d = new Device(text(n, "name", null), text(n, "part", null), text(n, "family", ""),
                        integer(n, "dsp", where), integer(n, "bram18", where), integer(n, "lut", where),
                        integer(n, "ff", where), n.path("uram").asInt(0), n.path("clockMhz").asDouble(200),
                        n.path("lutMultThreshold").asInt(9), n.path("dspWidthA").asInt(27),
                        n.path("dspWidthB").asInt(18), aliases(n), text(n, "source", where));
            } catch (ModelException e) {
                throw new ModelException(where + ": " + e.getMessage(), e);
            }
            m.put(key(d.name()), d);
        }
    }

    private static List<String> aliases(JsonNode n) {
        List<String> a = new ArrayList<>();
        n.path("aliases").forEach(x -> a.add(x.asText()));
        return a;
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    private static int integer(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new ModelException("device '" + n.path("name").asText("?") + "' needs an integer '" + field + "'");
        }
        return v.asInt();
    }

    private static String key(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }

    /** The device by name, part name or alias (case-insensitive). */
    public Optional<Device> find(String name) {
        String k = key(name);
        Device d = devices.get(k);
        if (d != null) {
            return Optional.of(d);
        }
        for (String o : order) {
            Device c = devices.get(o);
            if (key(c.part()).equals(k) || c.aliases().stream().anyMatch(a -> key(a).equals(k))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public Device get(String name) {
        return find(name).orElseThrow(() -> new ModelException("unknown device '" + name + "'; known: "
                + String.join(", ", order)));
    }

    /** Devices in catalogue order. */
    public List<Device> devices() {
        return order.stream().map(devices::get).toList();
    }

    public List<String> names() {
        return order;
    }
}
