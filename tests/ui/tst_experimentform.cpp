// The experiment form: spec -> controls -> spec round trip, visibility that follows the model,
// and inline validation of every kind of bad field.
#include "ui/forms/ExperimentForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace factorscope;
using factorscope::ui::ExperimentForm;

namespace {
QLineEdit* hiddenField(ExperimentForm& f) { return f.findChild<QLineEdit*>(QStringLiteral("hidden")); }
QComboBox* combo(ExperimentForm& f, const char* name) { return f.findChild<QComboBox*>(QString::fromLatin1(name)); }
// Whether the control of setting `name` is marked as the one in error.
bool marked(ExperimentForm& f, const char* name) {
    const QWidget* w = f.findChild<QWidget*>(QString::fromLatin1(name));
    return w && w->styleSheet().contains(QStringLiteral("border"));
}
} // namespace

class TestExperimentForm : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip() {
        ExperimentForm form;
        DatasetSummary s;
        s.predefinedSplits = {"ua", "u1"};
        form.setDataset(s);
        TrainSpec spec;
        spec.split = SplitSpec::parse("u1");
        spec.model = ModelSpec::defaultsFor(ModelKind::Mlp);
        spec.model.factors = 77;
        spec.model.hidden = {64, 32, 16};
        spec.model.dropouts = {0.5, 0.25, 0.1};
        spec.optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Sgd);
        spec.optimizer.lr = 0.003;
        spec.optimizer.nesterov = true;
        spec.schedule.kind = ScheduleKind::Triangular2;
        spec.schedule.stepSize = 250;
        spec.schedule.maxLr = 0.02;
        spec.epochs = 17;
        spec.batchSize = 333;
        spec.patience = 4;
        spec.minEpochs = 6;
        spec.seed = 1234;
        form.setSpec(spec);
        QVERIFY2(form.isValid(), qPrintable(form.validationMessage()));
        const TrainSpec& out = form.spec();
        QCOMPARE(out.split.toString(), std::string("u1"));
        QVERIFY(out.model.kind == ModelKind::Mlp);
        QCOMPARE(out.model.factors, 77);
        QCOMPARE(out.model.hidden, spec.model.hidden);
        QCOMPARE(out.model.dropouts, spec.model.dropouts);
        QVERIFY(out.optimizer.kind == OptimizerKind::Sgd);
        QCOMPARE(out.optimizer.lr, 0.003);
        QVERIFY(out.optimizer.nesterov);
        QVERIFY(out.schedule.kind == ScheduleKind::Triangular2);
        QCOMPARE(out.schedule.stepSize, 250);
        QCOMPARE(out.schedule.maxLr, 0.02);
        QCOMPARE(out.epochs, 17);
        QCOMPARE(out.batchSize, 333);
        QCOMPARE(out.patience, 4);
        QCOMPARE(out.minEpochs, 6);
        QCOMPARE(out.seed, uint64_t(1234));
    }

    void hiddenLayersOnlyForDeepModels() {
        ExperimentForm form;
        form.show();
        QLineEdit* hidden = hiddenField(form);
        QVERIFY(hidden);
        QVERIFY(!hidden->isVisible()); // dotbias by default
        QComboBox* model = combo(form, "model");
        QSignalSpy changed(&form, &ExperimentForm::changed);
        model->setCurrentIndex(model->findText(QStringLiteral("neumf")));
        QVERIFY(hidden->isVisible());
        QVERIFY(form.spec().model.kind == ModelKind::NeuMF);
        // A new architecture starts from its own defaults.
        QCOMPARE(form.spec().model.hidden, ModelSpec::defaultsFor(ModelKind::NeuMF).hidden);
        QVERIFY(!changed.isEmpty());
    }

    // A model fitted at once takes no optimiser steps: the optimiser and schedule groups go, and
    // come back with a trained model; autorec shows its penalty.
    void closedFormsHideTheOptimiser() {
        ExperimentForm form;
        form.show();
        QWidget* lr = form.findChild<QWidget*>(QStringLiteral("lr"));
        QWidget* lambda = form.findChild<QWidget*>(QStringLiteral("autorec-lambda"));
        QVERIFY(lr && lambda);
        const auto box = [](QWidget* w) {
            while (w && !qobject_cast<QGroupBox*>(w))
                w = w->parentWidget();
            return qobject_cast<QGroupBox*>(w);
        };
        QVERIFY(lr->isVisible() && box(lr) && box(lr)->isVisible() && !lambda->isVisible());
        QComboBox* model = combo(form, "model");
        for (const char* kind : {"knn", "baseline", "ease"}) {
            model->setCurrentIndex(model->findText(QString::fromLatin1(kind)));
            QVERIFY2(!lr->isVisible() && !box(lr)->isVisible(), kind);
            QVERIFY(!form.findChild<QWidget*>(QStringLiteral("schedule"))->isVisible());
        }
        model->setCurrentIndex(model->findText(QStringLiteral("autorec")));
        QVERIFY(lr->isVisible() && box(lr)->isVisible() && lambda->isVisible());
        QCOMPARE(form.spec().optimizer.lr, 1e-3);
    }

    void invalidFieldsAreReportedInline() {
        ExperimentForm form;
        form.show();
        QComboBox* model = combo(form, "model");
        model->setCurrentIndex(model->findText(QStringLiteral("mlp")));
        QSignalSpy validity(&form, &ExperimentForm::validityChanged);
        QLineEdit* hidden = hiddenField(form);
        hidden->setText(QStringLiteral("100,abc"));
        QVERIFY(!form.isValid());
        QVERIFY(form.validationMessage().startsWith(QStringLiteral("Hidden layers")));
        QCOMPARE(validity.count(), 1);
        QCOMPARE(validity.last().at(0).toBool(), false);
        QVERIFY(marked(form, "hidden"));
        // A third layer: the dropouts follow the layer count (the last one repeats), as the
        // CLI's --hidden does, and the form shows them.
        hidden->setText(QStringLiteral("100,50,25"));
        QVERIFY2(form.isValid(), qPrintable(form.validationMessage()));
        QCOMPARE(form.spec().model.dropouts.size(), std::size_t(3));
        auto* dropouts = form.findChild<QLineEdit*>(QStringLiteral("dropout"));
        QCOMPARE(dropouts->text(), QStringLiteral("0.25,0.1,0.1"));
        QCOMPARE(hidden->text(), QStringLiteral("100,50,25")); // the edited control keeps its text
        // Two dropouts for three layers: the engine's own check names the field, and the form
        // marks that field's control by the name the error carries.
        dropouts->setText(QStringLiteral("0.5,0.5"));
        QVERIFY(!form.isValid());
        QVERIFY2(form.validationMessage().startsWith(QStringLiteral("Dropouts: give one dropout per hidden layer")),
                 qPrintable(form.validationMessage()));
        QVERIFY(marked(form, "dropout"));
        QVERIFY(!marked(form, "hidden"));
        hidden->setText(QStringLiteral("100,50"));
        QVERIFY2(form.isValid(), qPrintable(form.validationMessage()));
        QCOMPARE(validity.last().at(0).toBool(), true);
        QVERIFY(!marked(form, "dropout"));
    }

    // Every field of the spec's table has its control, named as the field; the advanced ones
    // show only when asked, and an error in one unfolds them.
    void everyFieldHasAControl() {
        ExperimentForm form;
        form.show();
        for (const auto& field : specFields())
            QVERIFY2(form.findChild<QWidget*>(QString::fromLatin1(field.name)), field.name);
        auto* advanced = form.findChild<QCheckBox*>(QStringLiteral("advanced"));
        auto* engine = combo(form, "engine");
        QVERIFY(!engine->isVisible());
        advanced->setChecked(true);
        QVERIFY(engine->isVisible());
        engine->setCurrentIndex(engine->findData(QStringLiteral("general")));
        QVERIFY(form.spec().engine == Engine::General);
        advanced->setChecked(false);
        TrainSpec s = form.spec();
        s.optimizer.eps = 0; // advanced, out of range
        form.setSpec(s);
        QVERIFY(marked(form, "eps"));
        QVERIFY(advanced->isChecked());
        QVERIFY(form.findChild<QWidget*>(QStringLiteral("eps"))->isVisible());
    }

    // A new optimiser starts from its own defaults, shown in the other controls.
    void kindsResetTheirPart() {
        ExperimentForm form;
        QComboBox* optimizer = combo(form, "optimizer");
        optimizer->setCurrentIndex(optimizer->findData(QStringLiteral("sgd")));
        QCOMPARE(form.spec().optimizer.lr, OptimizerSpec::defaultsFor(OptimizerKind::Sgd).lr);
        QCOMPARE(form.findChild<QDoubleSpinBox*>(QStringLiteral("lr"))->value(), form.spec().optimizer.lr);
        auto* yRange = form.findChild<QWidget*>(QStringLiteral("y-range"));
        yRange->findChild<QCheckBox*>()->setChecked(false);
        QVERIFY(!form.spec().model.useYRange);
    }

    void engineRulesSurfaceAsMessages() {
        ExperimentForm form;
        TrainSpec s = form.spec();
        s.optimizer.nesterov = true; // AdamW has no Nesterov momentum
        form.setSpec(s);
        QVERIFY(!form.isValid());
        QVERIFY2(form.validationMessage().startsWith(QStringLiteral("Nesterov momentum: needs SGD")),
                 qPrintable(form.validationMessage()));
        QVERIFY(marked(form, "nesterov"));
        s.optimizer.nesterov = false;
        s.model.yMin = 5;
        s.model.yMax = 1;
        form.setSpec(s);
        QVERIFY(form.validationMessage().startsWith(QStringLiteral("Output range:")));
        QVERIFY(marked(form, "y-range"));
    }

    void predefinedSplitsFollowTheData() {
        ExperimentForm form;
        QComboBox* split = combo(form, "split");
        QCOMPARE(split->count(), 4); // random, a share of each user's, leave-k, temporal
        DatasetSummary s;
        s.predefinedSplits = {"ua", "ub", "u1", "u2", "u3", "u4", "u5"};
        form.setDataset(s);
        QCOMPARE(split->count(), 11);
        split->setCurrentIndex(0);
        QCOMPARE(form.spec().split.toString(), std::string("ua"));
        // Back to a data set without them: the spec falls back to a random split.
        form.setDataset(DatasetSummary{});
        QVERIFY(form.spec().split.kind == SplitSpec::Kind::Random);
    }
};

QTEST_MAIN(TestExperimentForm)
#include "tst_experimentform.moc"
