/* svg.c -- line charts as standalone SVG files (no dependency, viewable in any browser).
 *
 * One chart: a title, two axes (linear with 1-2-5 ticks, or log10 with decade ticks), one
 * polyline with point markers per series, baselines dashed, a legend. Non-finite or (on a log
 * axis) non-positive points are skipped. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define W 760.0
#define H 460.0
#define ML 84.0  /* left margin: y tick labels and the y label */
#define MR 200.0 /* right margin: the legend */
#define MT 44.0  /* top margin: the title */
#define MB 62.0  /* bottom margin: x tick labels and the x label */

static const char *const s_colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

typedef struct {
    double lo, hi; /* data range after padding, in axis units (log10 when log) */
    bool log;      /* log10 axis */
} svg_axis_t;

static bool s_usable(double v, bool log)
{
    return isfinite(v) && (!log || v > 0);
}

static double s_unit(double v, bool log)
{
    return log ? log10(v) : v;
}

static void s_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* Short number for a tick label: 1.5k, 25k, 2M, 0.5, 120. */
static void s_label(double v, char *out, size_t len)
{
    double a = fabs(v);
    if (a >= 1e6)
        snprintf(out, len, "%gM", v / 1e6);
    else if (a >= 1e3)
        snprintf(out, len, "%gk", v / 1e3);
    else
        snprintf(out, len, "%g", v);
}

static void s_axis_range(const bench__chart_t *c, bool is_x, svg_axis_t *ax)
{
    ax->log = is_x ? c->x_log : c->y_log;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t s = 0; s < c->series_count; s++) {
        const bench__series_t *se = &c->series[s];
        for (size_t i = 0; i < se->count; i++) {
            double v = is_x ? se->x[i] : se->y[i];
            if (!s_usable(v, ax->log))
                continue;
            v = s_unit(v, ax->log);
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    }
    if (!isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    if (!ax->log && !is_x && lo > 0)
        lo = 0; /* throughput and latency read best from zero */
    if (hi - lo < 1e-9) {
        hi = lo + (ax->log ? 1 : (fabs(lo) > 0 ? fabs(lo) * 0.5 : 1));
        if (!ax->log && lo != 0)
            lo -= fabs(lo) * 0.5;
    }
    if (ax->log) {
        lo = floor(lo);
        hi = ceil(hi);
    } else {
        hi += (hi - lo) * 0.08;
    }
    ax->lo = lo;
    ax->hi = hi;
}

static double s_px(const svg_axis_t *ax, double v, double p0, double p1)
{
    return p0 + (s_unit(v, ax->log) - ax->lo) / (ax->hi - ax->lo) * (p1 - p0);
}

/* Tick values (in data units) into ticks; returns how many. */
static size_t s_ticks(const svg_axis_t *ax, double *ticks, size_t max)
{
    size_t n = 0;
    if (ax->log) {
        long decades = lround(ax->hi - ax->lo);
        for (long e = 0; e <= decades && n < max; e++)
            ticks[n++] = pow(10, ax->lo + (double)e);
        return n;
    }
    double span = ax->hi - ax->lo;
    double raw = span / 6;
    double mag = pow(10, floor(log10(raw)));
    double step = mag;
    if (raw / mag > 5)
        step = 10 * mag;
    else if (raw / mag > 2)
        step = 5 * mag;
    else if (raw / mag > 1)
        step = 2 * mag;
    double first = ceil(ax->lo / step) * step;
    for (long i = 0; n < max; i++) {
        double v = first + (double)i * step;
        if (v > ax->hi + 1e-9 * span)
            break;
        ticks[n++] = fabs(v) < step * 1e-9 ? 0 : v;
    }
    return n;
}

int bench__svg_write(const bench__chart_t *c, const char *path, char *err)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        core_err_set(err, "%s: %s", path, strerror(errno));
        return -errno;
    }
    svg_axis_t ax, ay;
    s_axis_range(c, true, &ax);
    s_axis_range(c, false, &ay);
    double x0 = ML, x1 = W - MR, y0 = H - MB, y1 = MT;

    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    fprintf(f, "<text x=\"%.1f\" y=\"24\" font-size=\"15\" font-weight=\"bold\">", ML);
    s_text(f, c->title);
    fprintf(f, "</text>\n");

    double ticks[64];
    size_t n = s_ticks(&ax, ticks, CORE_ARRAY_LEN(ticks));
    for (size_t i = 0; i < n; i++) {
        double px = s_px(&ax, ticks[i], x0, x1);
        char label[32];
        s_label(ticks[i], label, sizeof(label));
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", px,
                y0, px, y1);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", px, y0 + 16,
                label);
    }
    n = s_ticks(&ay, ticks, CORE_ARRAY_LEN(ticks));
    for (size_t i = 0; i < n; i++) {
        double py = s_px(&ay, ticks[i], y0, y1);
        char label[32];
        s_label(ticks[i], label, sizeof(label));
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", x0,
                py, x1, py);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", x0 - 6, py + 4,
                label);
    }
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
            "stroke=\"#333\"/>\n",
            x0, y1, x1 - x0, y0 - y1);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (x0 + x1) / 2, H - 16);
    s_text(f, c->x_label);
    fprintf(f, "%s</text>\n", c->x_log ? " (log scale)" : "");
    fprintf(f, "<text transform=\"translate(18,%.1f) rotate(-90)\" text-anchor=\"middle\">",
            (y0 + y1) / 2);
    s_text(f, c->y_label);
    fprintf(f, "%s</text>\n", c->y_log ? " (log scale)" : "");

    for (size_t s = 0; s < c->series_count; s++) {
        const bench__series_t *se = &c->series[s];
        const char *colour = s_colours[s % CORE_ARRAY_LEN(s_colours)];
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"", colour,
                se->dashed ? " stroke-dasharray=\"6,4\"" : "");
        for (size_t i = 0; i < se->count; i++) {
            if (!s_usable(se->x[i], ax.log) || !s_usable(se->y[i], ay.log))
                continue;
            fprintf(f, "%.1f,%.1f ", s_px(&ax, se->x[i], x0, x1), s_px(&ay, se->y[i], y0, y1));
        }
        fprintf(f, "\"/>\n");
        if (se->count <= 40) {
            for (size_t i = 0; i < se->count; i++) {
                if (!s_usable(se->x[i], ax.log) || !s_usable(se->y[i], ay.log))
                    continue;
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
                        s_px(&ax, se->x[i], x0, x1), s_px(&ay, se->y[i], y0, y1), colour);
            }
        }
        double ly = MT + 10 + 20.0 * (double)s;
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"2\"%s/>\n",
                x1 + 12, ly, x1 + 36, ly, colour, se->dashed ? " stroke-dasharray=\"6,4\"" : "");
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x1 + 42, ly + 4);
        s_text(f, se->name);
        fprintf(f, "</text>\n");
    }
    fprintf(f, "</svg>\n");
    if (fclose(f) != 0) {
        core_err_set(err, "%s: write failed", path);
        return -EIO;
    }
    return 0;
}
