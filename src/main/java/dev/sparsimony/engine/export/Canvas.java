package dev.sparsimony.engine.export;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The few drawing operations a plot needs, so that one layout routine ({@link Plot}) draws both the SVG (text
 * written directly) and the PNG (java.awt, headless): no display toolkit in the engine.
 */
interface Canvas {
    enum Anchor { START, MIDDLE, END }

    void line(double x1, double y1, double x2, double y2, Color color, double width, boolean dashed);

    void polyline(double[] xs, double[] ys, Color color, double width);

    void circle(double cx, double cy, double r, Color fill, Color stroke);

    void diamond(double cx, double cy, double r, Color fill, Color stroke);

    void rect(double x, double y, double w, double h, Color fill, Color stroke);

    /** Text with its baseline at y; {@code rotate} -90 turns it to read upwards (a y-axis title). */
    void text(double x, double y, String s, double size, Color color, Anchor anchor, boolean bold, double rotate);

    /** Width of a text, for layout. */
    double textWidth(String s, double size, boolean bold);

    // ------------------------------------------------------------------ SVG

    /** SVG 1.1 text; sizes in pixels, fonts by family name (the viewer's sans-serif). */
    final class Svg implements Canvas {
        private final StringBuilder sb = new StringBuilder();
        private final double width;
        private final double height;

        Svg(double width, double height) {
            this.width = width;
            this.height = height;
        }

        @Override
        public void line(double x1, double y1, double x2, double y2, Color color, double w, boolean dashed) {
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\""
                    + " stroke-width=\"%.2f\"%s/>%n", x1, y1, x2, y2, hex(color), w,
                    dashed ? " stroke-dasharray=\"4 3\"" : ""));
        }

        @Override
        public void polyline(double[] xs, double[] ys, Color color, double w) {
            sb.append("<polyline fill=\"none\" stroke=\"").append(hex(color)).append("\" stroke-width=\"")
                    .append(String.format(Locale.ROOT, "%.2f", w)).append("\" points=\"");
            for (int i = 0; i < xs.length; i++) {
                sb.append(String.format(Locale.ROOT, "%s%.2f,%.2f", i == 0 ? "" : " ", xs[i], ys[i]));
            }
            sb.append("\"/>\n");
        }

        @Override
        public void circle(double cx, double cy, double r, Color fill, Color stroke) {
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"%s\"%s%s/>%n",
                    cx, cy, r, fill == null ? "none" : hex(fill), opacity(fill), stroke(stroke)));
        }

        @Override
        public void diamond(double cx, double cy, double r, Color fill, Color stroke) {
            sb.append(String.format(Locale.ROOT, "<polygon points=\"%.2f,%.2f %.2f,%.2f %.2f,%.2f %.2f,%.2f\""
                    + " fill=\"%s\"%s%s/>%n", cx, cy - r, cx + r, cy, cx, cy + r, cx - r, cy,
                    fill == null ? "none" : hex(fill), opacity(fill), stroke(stroke)));
        }

        @Override
        public void rect(double x, double y, double w, double h, Color fill, Color stroke) {
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\""
                    + " fill=\"%s\"%s/>%n", x, y, w, h, fill == null ? "none" : hex(fill), stroke(stroke)));
        }

        @Override
        public void text(double x, double y, String s, double size, Color color, Anchor anchor, boolean bold,
                         double rotate) {
            String a = switch (anchor) {
                case START -> "start";
                case MIDDLE -> "middle";
                case END -> "end";
            };
            sb.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" fill=\"%s\""
                    + " text-anchor=\"%s\"%s%s>", x, y, size, hex(color), a, bold ? " font-weight=\"bold\"" : "",
                    rotate == 0 ? "" : String.format(Locale.ROOT, " transform=\"rotate(%.1f %.2f %.2f)\"", rotate,
                            x, y)));
            sb.append(escape(s)).append("</text>\n");
        }

        @Override
        public double textWidth(String s, double size, boolean bold) {
            return Png.measure(s, size, bold); // the same font metrics for both outputs
        }

        String document(String title) {
            return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\""
                    + " height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Helvetica, Arial,"
                    + " sans-serif\">%n<title>%s</title>%n", width, height, width, height, escape(title)) + sb
                    + "</svg>\n";
        }

        private static String stroke(Color c) {
            return c == null ? "" : " stroke=\"" + hex(c) + "\"";
        }

        private static String opacity(Color c) {
            return c == null || c.getAlpha() == 255 ? ""
                    : String.format(Locale.ROOT, " fill-opacity=\"%.2f\"", c.getAlpha() / 255.0);
        }

        static String hex(Color c) {
            return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
        }

        static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }

    // ------------------------------------------------------------------ PNG

    /** java.awt on an image (works headless); {@code scale} draws at a higher resolution for sharp text. */
    final class Png implements Canvas {
        private static final String FAMILY = "DejaVu Sans";
        private final BufferedImage image;
        private final Graphics2D g;

        Png(int width, int height, double scale) {
            image = new BufferedImage((int) Math.round(width * scale), (int) Math.round(height * scale),
                    BufferedImage.TYPE_INT_RGB);
            g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.scale(scale, scale);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
        }

        static double measure(String s, double size, boolean bold) {
            BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = one.createGraphics();
            try {
                FontMetrics fm = g.getFontMetrics(font(size, bold));
                return fm.getStringBounds(s, g).getWidth();
            } finally {
                g.dispose();
            }
        }

        private static Font font(double size, boolean bold) {
            return new Font(FAMILY, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) size);
        }

        @Override
        public void line(double x1, double y1, double x2, double y2, Color color, double w, boolean dashed) {
            g.setColor(color);
            g.setStroke(dashed ? new BasicStroke((float) w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {4f, 3f}, 0f) : new BasicStroke((float) w));
            g.draw(new Line2D.Double(x1, y1, x2, y2));
        }

        @Override
        public void polyline(double[] xs, double[] ys, Color color, double w) {
            if (xs.length == 0) {
                return;
            }
            Path2D.Double p = new Path2D.Double();
            p.moveTo(xs[0], ys[0]);
            for (int i = 1; i < xs.length; i++) {
                p.lineTo(xs[i], ys[i]);
            }
            g.setColor(color);
            g.setStroke(new BasicStroke((float) w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(p);
        }

        @Override
        public void circle(double cx, double cy, double r, Color fill, Color stroke) {
            shape(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r), fill, stroke);
        }

        @Override
        public void diamond(double cx, double cy, double r, Color fill, Color stroke) {
            Path2D.Double p = new Path2D.Double();
            p.moveTo(cx, cy - r);
            p.lineTo(cx + r, cy);
            p.lineTo(cx, cy + r);
            p.lineTo(cx - r, cy);
            p.closePath();
            shape(p, fill, stroke);
        }

        @Override
        public void rect(double x, double y, double w, double h, Color fill, Color stroke) {
            shape(new Rectangle2D.Double(x, y, w, h), fill, stroke);
        }

        private void shape(java.awt.Shape s, Color fill, Color stroke) {
            if (fill != null) {
                g.setColor(fill);
                g.fill(s);
            }
            if (stroke != null) {
                g.setColor(stroke);
                g.setStroke(new BasicStroke(1f));
                g.draw(s);
            }
        }

        @Override
        public void text(double x, double y, String s, double size, Color color, Anchor anchor, boolean bold,
                         double rotate) {
            Font f = font(size, bold);
            g.setFont(f);
            g.setColor(color);
            double w = g.getFontMetrics(f).getStringBounds(s, g).getWidth();
            double dx = switch (anchor) {
                case START -> 0;
                case MIDDLE -> -w / 2;
                case END -> -w;
            };
            AffineTransform saved = g.getTransform();
            if (rotate != 0) {
                g.rotate(Math.toRadians(rotate), x, y);
            }
            g.drawString(s, (float) (x + dx), (float) y);
            g.setTransform(saved);
        }

        @Override
        public double textWidth(String s, double size, boolean bold) {
            return measure(s, size, bold);
        }

        byte[] bytes() {
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                if (!javax.imageio.ImageIO.write(image, "png", out)) {
                    throw new IllegalStateException("no PNG writer");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a byte array stream does not fail
            }
            return out.toByteArray();
        }
    }
}
