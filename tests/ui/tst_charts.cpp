// The chart layer: smoothing and decimation maths, points reaching the series, log axes,
// and export to PNG and SVG with real content.
#include "ui/charts/BarChart.h"
#include "ui/charts/LineChart.h"
#include "ui/charts/SeriesMath.h"
#include "ui/views/PredictionsView.h"
#include "ui/views/TrainingView.h"

#include "ImageCheck.h"
#include <QApplication>

#include <QFontMetricsF>
#include <QImage>
#include <QPalette>
#include <QTemporaryDir>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>
#include <QtTest>

#include <cmath>

using namespace factorscope::ui;

class TestCharts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void embeddingLengthAgainstPopularity() {
        // Three movies rated 1, 10 and 100 times with embeddings of length 1, 2 and 3: one point
        // each at its count, lying on a line in log count (correlation 1); an unrated movie has
        // no point on a log axis.
        PredictionsView view;
        factorscope::Matrix f;
        f.rows = 4;
        f.cols = 2;
        f.values = {1, 0, 0, 2, 1.8f, 2.4f, 5, 5};
        view.setItemNorms({1, 10, 100, 0}, f);
        const auto& pts = view.normChart()->points(0);
        QCOMPARE(pts.size(), 3);
        QCOMPARE(pts[1], QPointF(10, 2));
        QVERIFY(std::abs(pts[2].y() - 3.0) < 1e-6);
        QVERIFY(std::abs(view.normPopularityCorrelation() - 1.0) < 1e-6);
        view.setItemNorms({100, 10, 1, 0}, f); // the same lengths, popularity reversed
        QVERIFY(std::abs(view.normPopularityCorrelation() + 1.0) < 1e-6);
        view.clear();
        QVERIFY(view.normChart()->points(0).isEmpty());
    }

    void debiasedEmaMatchesTensorBoard() {
        const QVector<double> v = {1, 2, 3, 4};
        const QVector<double> s = debiasedEma(v, 0.5);
        // TensorBoard: last = last*w + (1-w)*x; smoothed = last / (1 - w^n)
        QCOMPARE(s[0], 1.0); // debiased start equals the first value
        QVERIFY(std::abs(s[1] - (0.5 * 0.5 + 0.5 * 2) / 0.75) < 1e-12);
        QCOMPARE(debiasedEma(v, 0.0), v); // weight 0 leaves the series raw
        QVERIFY(s[3] < 4 && s[3] > 3);
    }

    void decimationKeepsExtremes() {
        QVector<QPointF> pts;
        for (int k = 0; k < 100000; ++k)
            pts.push_back({double(k), std::sin(k * 0.001) + (k == 51234 ? 10.0 : 0.0)});
        const QVector<QPointF> d = decimateMinMax(pts, 500);
        QVERIFY(d.size() <= 3 * 500 + 1 && d.size() > 500);
        double maxY = -1e9;
        for (const auto& p : d)
            maxY = std::max(maxY, p.y());
        QCOMPARE(maxY, pts[51234].y()); // the spike survives
        QCOMPARE(d.front(), pts.front());
        QCOMPARE(d.back(), pts.back());
        for (int k = 1; k < d.size(); ++k)
            QVERIFY(d[k].x() >= d[k - 1].x());
        const QVector<QPointF> few = {{0, 1}, {1, 2}};
        QCOMPARE(decimateMinMax(few, 500), few);
    }

    void hundredThousandPointsStayDecimated() {
        LineChart chart(QStringLiteral("loss"), QStringLiteral("step"), QStringLiteral("mse"));
        chart.resize(800, 400);
        chart.show();
        const int s = chart.addSeries(QStringLiteral("raw"), Qt::blue);
        QVector<QPointF> pts;
        for (int k = 0; k < 100000; ++k)
            pts.push_back({double(k), 1.0 / (1 + k)});
        chart.appendPoints(s, pts);
        QCOMPARE(chart.points(s).size(), 100000);
        QTRY_VERIFY(chart.displayedPointCount(s) > 0);
        QVERIFY(chart.displayedPointCount(s) < 5000);
    }

    void logAxisDropsNonPositive() {
        LineChart chart(QStringLiteral("t"), QStringLiteral("x"), QStringLiteral("y"));
        const int s = chart.addSeries(QStringLiteral("a"), Qt::red);
        chart.setPoints(s, {{0, 0.0}, {1, 0.5}, {2, -1}, {3, 2}});
        chart.setLogY(true);
        QTRY_COMPARE(chart.displayedPointCount(s), 2);
        chart.setLogY(false);
        QTRY_COMPARE(chart.displayedPointCount(s), 4);
    }

    void exportsPngAndSvg() {
        QTemporaryDir dir;
        TrainingView view;
        view.resize(1200, 800);
        view.show();
        view.begin({}, 1.1, 10);
        QVector<factorscope::BatchStats> batches;
        for (int k = 0; k < 50; ++k) {
            factorscope::BatchStats b;
            b.epoch = k / 10 + 1;
            b.batch = k % 10 + 1;
            b.batchesPerEpoch = 10;
            b.step = k;
            b.loss = 2.0 / (1 + k);
            b.lr = 0.01;
            batches.push_back(b);
        }
        view.addBatches(batches);
        for (int e = 1; e <= 5; ++e) {
            factorscope::EpochStats es;
            es.epoch = e;
            es.trainLoss = 1.0 / e;
            es.valLoss = 1.2 / e;
            es.valRmse = std::sqrt(1.2 / e);
            view.addEpoch(es);
        }
        QCOMPARE(view.batchPointCount(), 50);
        QCOMPARE(view.epochCount(), 5);
        QVERIFY(view.exportCharts(dir.path()));
        const QImage png(dir.filePath(QStringLiteral("validation-rmse.png")));
        QVERIFY(!png.isNull());
        QVERIFY2(factorscope::test::distinctColours(png) > 20, "the exported chart is blank");
        QFile svg(dir.filePath(QStringLiteral("batch-loss.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QVERIFY(text.contains("<svg") && text.contains("Training loss per batch"));
        QVERIFY(view.exportCsv(dir.filePath(QStringLiteral("m.csv"))));
        QFile csv(dir.filePath(QStringLiteral("m.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 6); // header + 5 epochs
        QVERIFY(!view.exportCsv(QStringLiteral("/no/such/dir/m.csv")));
    }

    void darkPaletteGivesDarkCharts() {
        const QPalette light = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(37, 37, 38));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        dark.setColor(QPalette::Base, QColor(30, 30, 30));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        dark.setColor(QPalette::Button, QColor(45, 45, 48));
        dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        QApplication::setPalette(dark);
        auto meanLightness = [](const QImage& img) {
            qint64 sum = 0, n = 0;
            for (int y = 0; y < img.height(); y += 4)
                for (int x = 0; x < img.width(); x += 4, ++n)
                    sum += QColor(img.pixel(x, y)).lightness();
            return n ? sum / n : 0;
        };
        {
            TrainingView view;
            view.resize(1100, 700);
            view.show();
            view.begin({}, 1.0, 10);
            factorscope::EpochStats e;
            e.epoch = 1;
            e.trainLoss = 0.9;
            e.valLoss = 1.0;
            e.valRmse = 1.0;
            view.addEpoch(e);
            QTest::qWait(100);
            const QImage img = view.grab().toImage();
            img.save(QDir::temp().filePath(QStringLiteral("factorscope-dark.png")));
            QVERIFY2(meanLightness(img) < 110, qPrintable(QString::number(meanLightness(img))));
        }
        QApplication::setPalette(light);
        LineChart chart(QStringLiteral("t"), QStringLiteral("x"), QStringLiteral("y"));
        chart.resize(400, 300);
        chart.show();
        QTest::qWait(50);
        QVERIFY(meanLightness(chart.grab().toImage()) > 150);
    }

    void niceIntervals() {
        QCOMPARE(niceInterval(10, 5), 2.0);
        QCOMPARE(niceInterval(3, 5), 0.5);
        QCOMPARE(niceInterval(790, 5), 200.0);
        QCOMPARE(niceInterval(0.01, 5), 0.002);
        QCOMPARE(niceInterval(0, 5), 1.0);
    }

    // The cases seen on large data sets: 1.7 epochs on a narrow chart, early in the first epoch,
    // learning rates near 1e-3 and 1e-4, and counts in the millions. The ticks fit the axis and
    // every label differs from its neighbours (no "0 0... 0..." and no "0.0..." on every tick).
    void axisTicksFitAndTellApart_data() {
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addColumn<double>("lengthPx");
        for (double px : {120.0, 240.0, 600.0}) {
            const QByteArray w = QByteArray::number(px) + " px";
            QTest::newRow("1.7 epochs, " + w) << 0.0 << 1.7 << px;
            QTest::newRow("first 1% of an epoch, " + w) << 0.0 << 0.0102 << px;
            QTest::newRow("rates to 5e-3, " + w) << 0.0 << 0.005 << px;
            QTest::newRow("rates to 4e-4, " + w) << 0.0 << 4e-4 << px;
            QTest::newRow("millions, " + w) << 0.0 << 2.5e6 << px;
            QTest::newRow("RMSE 0.93-0.97, " + w) << 0.93 << 0.97 << px;
        }
    }
    void axisTicksFitAndTellApart() {
        QFETCH(double, lo);
        QFETCH(double, hi);
        QFETCH(double, lengthPx);
        const QFontMetricsF metrics(QApplication::font());
        AxisTicks t = axisTicks(lo, hi, lengthPx, 40);
        const QByteArray f = t.format.toLatin1();
        double widest = 0;
        QStringList labels;
        for (double v = std::ceil(lo / t.step) * t.step; v <= hi + 1e-12; v += t.step) {
            labels << QString::asprintf(f.constData(), v);
            widest = std::max(widest, metrics.horizontalAdvance(labels.back()));
        }
        QVERIFY2(labels.size() >= 2, qPrintable(t.format));
        t = axisTicks(lo, hi, lengthPx, widest); // as the chart does: again with the labels' width
        QVERIFY2((hi - lo) / t.step <= std::max(2.0, lengthPx / (2 * widest)) + 1e-9,
                 qPrintable(QStringLiteral("step %1 for %2 px").arg(t.step).arg(lengthPx)));
        const QByteArray f2 = t.format.toLatin1();
        QString previous;
        for (double v = std::ceil(lo / t.step) * t.step; v <= hi + 1e-12; v += t.step) {
            const QString label = QString::asprintf(f2.constData(), v);
            QVERIFY2(label != previous, qPrintable(label + QStringLiteral(" twice, format ") + t.format));
            QVERIFY(!label.contains(QStringLiteral("...")));
            previous = label;
        }
    }

    void narrowRateChartKeepsReadableAxes() {
        // The training view's learning-rate chart at 1.7 epochs, 360 px wide, and early in the
        // first epoch: the axes' steps and formats come from the pixels and the range.
        for (const double epochs : {1.7, 0.01}) {
            LineChart chart(QStringLiteral("Learning rate per batch"), QStringLiteral("Epoch"),
                            QStringLiteral("Learning rate"));
            const int s = chart.addSeries(QStringLiteral("learning rate"), Qt::red);
            QVector<QPointF> pts;
            for (int k = 0; k <= 400; ++k)
                pts.push_back({epochs * k / 400.0, 1e-3 + 4e-3 * std::sin(3.14159 * k / 400.0)});
            chart.setPoints(s, pts);
            chart.resize(360, 260);
            chart.show();
            QTest::qWait(150); // the redraw timer
            auto* x = qobject_cast<QValueAxis*>(chart.view()->chart()->axes(Qt::Horizontal).value(0));
            auto* y = qobject_cast<QValueAxis*>(chart.view()->chart()->axes(Qt::Vertical).value(0));
            QVERIFY(x && y);
            // Every x label, with a gap as wide as itself, fits the plot area's width.
            const QFontMetricsF metrics(x->labelsFont());
            const QByteArray f = x->labelFormat().toLatin1();
            double widest = 0;
            for (double v = 0; v <= epochs + 1e-12; v += x->tickInterval())
                widest = std::max(widest, metrics.horizontalAdvance(QString::asprintf(f.constData(), v)));
            const double plot = chart.view()->chart()->plotArea().width();
            QVERIFY2(
                (epochs / x->tickInterval() + 1) * widest * 2 <= plot + 2 * widest,
                qPrintable(
                    QStringLiteral("%1 px of labels every %2 on %3 px").arg(widest).arg(x->tickInterval()).arg(plot)));
            QCOMPARE(y->labelFormat(), QStringLiteral("%.3f")); // rates 0.001-0.005: three decimals
            QVERIFY(epochs > 1 ? x->labelFormat() == QStringLiteral("%.1f")
                               : x->labelFormat() == QStringLiteral("%.3f"));
            chart.view()->grab().save(QDir::temp().filePath(QStringLiteral("factorscope-lr-%1.png").arg(epochs)));
        }
    }

    void valuesAnUlpApartGetAFewTicks() {
        // Two learning rates one ulp apart (consecutive batches early in a schedule): the axis
        // must not step by less than an ulp (Qt Charts then makes labels without end; a GUI
        // test grew to 18 GB that way).
        LineChart chart(QStringLiteral("Learning rate per batch"), QStringLiteral("Epoch"),
                        QStringLiteral("Learning rate"));
        const int s = chart.addSeries(QStringLiteral("learning rate"), Qt::red);
        const double lr = 4e-4;
        chart.setPoints(s, {{0.001, lr}, {0.002, std::nextafter(lr, 1.0)}});
        chart.resize(360, 260);
        chart.show();
        QTest::qWait(150); // the redraw timer
        auto* y = qobject_cast<QValueAxis*>(chart.view()->chart()->axes(Qt::Vertical).value(0));
        QVERIFY(y);
        const double span = y->max() - y->min();
        QVERIFY2(span > 1e-6 * lr, qPrintable(QString::number(span)));
        QVERIFY(y->tickType() == QValueAxis::TicksFixed || span / y->tickInterval() <= 100);
    }

    void barChartValues() {
        BarChart chart(QStringLiteral("t"), QStringLiteral("x"), QStringLiteral("y"));
        chart.setCategories({QStringLiteral("a"), QStringLiteral("b")});
        const int s = chart.addSet(QStringLiteral("s"), Qt::green);
        chart.setValues(s, {3, 4});
        QCOMPARE(chart.values(s), (QVector<double>{3, 4}));
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
