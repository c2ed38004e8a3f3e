// The spec's field table: every field reads back what it writes, in text (the CLI's and the
// grid's) and in JSON (the checkpoint's); every range is enforced where the setting applies;
// bad text names the field; and the grid, the CLI and the form agree on what a new model resets.
#include "core/common/Error.h"
#include "core/experiment/GridSearch.h"
#include "core/train/SpecFields.h"
#include "core/train/SpecJson.h"

#include <QtTest>

#include <set>

using namespace factorscope;

namespace {

// A spec unlike the defaults in every part, where each part's settings apply.
TrainSpec unusualSpec() {
    TrainSpec s;
    s.split = SplitSpec::parse("leave:3");
    s.split.seed = 7;
    s.model = ModelSpec::defaultsFor(ModelKind::Mlp);
    s.model.hidden = {40, 20, 10};
    s.model.dropouts = {0.3, 0.2, 0.1};
    s.model.yMin = 1;
    s.model.yMax = 5;
    s.optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Sgd);
    s.optimizer.nesterov = true;
    s.optimizer.momentum = 0.8;
    s.schedule.kind = ScheduleKind::Cosine;
    s.schedule.tMax = 99;
    s.schedule.etaMin = 1e-4;
    s.epochs = 3;
    s.batchSize = 77;
    s.patience = 2;
    s.minEpochs = 2;
    s.restoreBest = false;
    s.seed = 123456789012345ULL;
    s.threads = 2;
    s.engine = Engine::General;
    return s;
}

std::string errorField(const TrainSpec& s) {
    try {
        s.validate();
    } catch (const SpecError& e) {
        return e.field();
    }
    return {};
}

} // namespace

class TestSpecFields : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void namesAreUniqueAndFound() {
        std::set<std::string> names;
        for (const auto& f : specFields()) {
            QVERIFY2(names.insert(f.name).second, f.name);
            QCOMPARE(findSpecField(f.name), &f);
            QVERIFY2(*f.help && *f.label, f.name);
        }
        QVERIFY(!findSpecField("colour"));
    }

    void textRoundTripsForEveryField() {
        for (const TrainSpec& from : {TrainSpec::defaults(), unusualSpec()})
            for (const auto& f : specFields()) {
                const std::string text = formatFieldValue(f, f.get(from));
                TrainSpec to = TrainSpec::defaults();
                to.model = from.model; // so the model's and optimiser's kinds reset nothing
                to.optimizer = from.optimizer;
                applyField(to, f, text);
                QVERIFY2(f.get(to) == f.get(from), (std::string(f.name) + "=" + text).c_str());
            }
    }

    void jsonRoundTripsAndKeepsItsKeys() {
        const TrainSpec s = unusualSpec();
        QVERIFY2(errorField(s).empty(), errorField(s).c_str());
        const auto j = toJson(s);
        QCOMPARE(toJson(trainSpecFromJson(j)), j);
        // The file's layout: the keys a checkpoint written before the table has.
        QCOMPARE(j.at("model").at("use_y_range").get<bool>(), true);
        QCOMPARE(j.at("model").at("y_min").get<double>(), 1.0);
        QCOMPARE(j.at("optimizer").at("beta2").get<double>(), 0.99);
        QCOMPARE(j.at("schedule").at("t_max").get<int>(), 99);
        QCOMPARE(j.at("seed").get<uint64_t>(), 123456789012345ULL);
        QCOMPARE(j.at("split").get<std::string>(), std::string("leave:3"));
        auto old = j;
        old.erase("engine"); // files from before the fused path
        QVERIFY(trainSpecFromJson(old).engine == Engine::Auto);
        old["model"]["kind"] = "svd";
        try {
            trainSpecFromJson(old);
            QFAIL("an unknown model kind was read");
        } catch (const CheckpointError& e) {
            QVERIFY2(std::string(e.what()).find("field \"kind\": unknown value \"svd\"") != std::string::npos,
                     e.what());
        }
    }

    // Just past each end of every numeric field's range is refused, named by the field, where
    // the setting applies; the defaults (and the unusual spec) sit inside every range.
    void rangesAreEnforcedWhereTheyApply() {
        for (const TrainSpec& base : {TrainSpec::defaults(), unusualSpec()}) {
            QCOMPARE(errorField(base), std::string());
            for (const auto& f : specFields()) {
                if (f.type != FieldType::Integer && f.type != FieldType::Real)
                    continue;
                const double past = std::max(1.0, std::abs(f.max) * 1e-6); // 2^62 + 1 is 2^62 as a double
                for (double bad : {f.minOpen ? f.min : f.min - 1, f.maxOpen ? f.max : f.max + past}) {
                    TrainSpec s = base;
                    if (f.type == FieldType::Integer)
                        f.set(s, static_cast<long long>(bad));
                    else
                        f.set(s, bad);
                    const std::string got = errorField(s);
                    if (f.applies(base))
                        QVERIFY2(got == f.name, (std::string(f.name) + " got " + got).c_str());
                }
            }
        }
        TrainSpec s; // one-cycle has no gamma: a bad one does not block it
        s.schedule.gamma = 0;
        QCOMPARE(errorField(s), std::string());
    }

    // Whole numbers beyond what the spec's members hold are refused by name, never wrapped
    // into range (2^32 + 1 epochs is not 1 epoch) nor converted undefinedly (a fuzzer's find).
    void hugeWholeNumbersAreRefusedNotWrapped() {
        const std::vector<std::pair<const char*, const char*>> cases{{"epochs", "4294967297"},
                                                                     {"epochs", "-4294967295"},
                                                                     {"factors", "9000000000000000000"},
                                                                     {"hidden", "64,361038110000617117873322"},
                                                                     {"hidden", "4294967360,32"}};
        for (const auto& [name, text] : cases) {
            TrainSpec s = TrainSpec::defaults();
            s.model = ModelSpec::defaultsFor(ModelKind::Mlp);
            applyField(s, *findSpecField(name), text);
            QVERIFY2(errorField(s) == name, (std::string(name) + " " + text + " got " + errorField(s)).c_str());
        }
    }

    void badTextNamesTheField() {
        for (const auto& f : specFields()) {
            if (f.type == FieldType::Text || f.type == FieldType::Choice)
                continue;
            try {
                parseFieldValue(f, "x7");
                QFAIL(f.name);
            } catch (const SpecError& e) {
                QCOMPARE(e.field(), std::string(f.name));
            }
        }
        TrainSpec s;
        QVERIFY_THROWS_EXCEPTION(SpecError, applyField(s, *findSpecField("model"), "svd"));
        QVERIFY_THROWS_EXCEPTION(SpecError, applyField(s, *findSpecField("factors"), "2.5"));
        QVERIFY_THROWS_EXCEPTION(SpecError, applyField(s, *findSpecField("betas"), "0.9"));
        QVERIFY_THROWS_EXCEPTION(SpecError, applyField(s, *findSpecField("split"), "sideways"));
        applyField(s, *findSpecField("y-range"), "none");
        QVERIFY(!s.model.useYRange);
    }

    // A grid that changes the model starts it from its own defaults, as the CLI and the form
    // do; a factors axis still applies after it, whatever order the axes were written in.
    void gridResetsLikeTheOtherFrontEnds() {
        TrainSpec s;
        s.model.factors = 8;
        applyParameter(s, "model", "mlp");
        QCOMPARE(s.model.factors, ModelSpec::defaultsFor(ModelKind::Mlp).factors);
        QCOMPARE(s.model.hidden, ModelSpec::defaultsFor(ModelKind::Mlp).hidden);
        for (const auto& name : gridParameters())
            QVERIFY2(findSpecField(name)->grid, name.c_str());
        QVERIFY_THROWS_EXCEPTION(SpecError, applyParameter(s, "device", "cuda")); // not a grid axis
    }
};

QTEST_GUILESS_MAIN(TestSpecFields)
#include "tst_specfields.moc"
