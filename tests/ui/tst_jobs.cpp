// The background jobs (data set loading, LR range test, cross-validation) on real demo data:
// each reports through its signals on the GUI thread, turns the engine's errors into a failed
// signal naming the field or file, ignores a second start while running, and stops and waits
// when destroyed mid-run.
#include "TestUtil.h"
#include "ui/session/ExperimentJobs.h"
#include "ui/session/Jobs.h"
#include "ui/session/RatedAlikeJob.h"
#include "ui/session/TsneJob.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <numeric>

using namespace factorscope;
using factorscope::ui::DatasetLoadJob;
using factorscope::ui::ExperimentJob;
using factorscope::ui::LrFindJob;
using factorscope::ui::RatedAlikeJob;
using factorscope::ui::RatedAlikeResult;
using factorscope::ui::TsneFrame;
using factorscope::ui::TsneJob;

namespace {
TrainSpec quickSpec() {
    TrainSpec s;
    s.split = SplitSpec::parse("random:0.2");
    s.epochs = 1;
    s.batchSize = 256;
    s.threads = 1;
    return s;
}
// The message of a job's first failed() signal, once it has come.
QString failure(QSignalSpy& failed) {
    if (failed.isEmpty() && !failed.wait(30000))
        return QStringLiteral("(no failed signal)");
    return failed.first().at(0).toString();
}
} // namespace

class TestJobs : public QObject {
    Q_OBJECT
    std::shared_ptr<const Dataset> m_data = std::make_shared<const Dataset>(test::smallDemo());
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void loadJobLoadsAndNamesBadFiles() {
        DatasetLoadJob job;
        QSignalSpy loaded(&job, &DatasetLoadJob::loaded);
        QSignalSpy failed(&job, &DatasetLoadJob::failed);
        job.start(QStringLiteral("demo"));
        QVERIFY(job.isRunning());
        QVERIFY(loaded.wait(30000));
        QCOMPARE(loaded.first().at(2).toString(), QStringLiteral("demo"));
        const auto data = loaded.first().at(0).value<std::shared_ptr<const Dataset>>();
        QVERIFY(data && data->ratings.size() > 0);
        QCOMPARE(loaded.first().at(1).value<DatasetSummary>().ratings, data->ratings.size());

        const QString bad = QString::fromStdString(
            test::writeFile(m_tmp.path(), QStringLiteral("ratings.csv"), "userId,movieId,rating\n1,2,4\n3,x,5\n"));
        job.start(bad);
        const QString message = failure(failed);
        QVERIFY2(message.contains(QStringLiteral("ratings.csv:3")), qPrintable(message));
        QCOMPARE(failed.first().at(1).toString(), bad);
        QCOMPARE(loaded.count(), 1);
    }

    void lrFindReportsPointsThenTheResult() {
        LrFindJob job;
        QSignalSpy points(&job, &LrFindJob::point);
        QSignalSpy finished(&job, &LrFindJob::finished);
        LrFindSpec find;
        find.steps = 30;
        job.start(m_data, quickSpec(), find);
        job.start(m_data, quickSpec(), find); // ignored while the first runs
        QVERIFY(finished.wait(60000));
        const auto result = finished.first().at(0).value<LrFindResult>();
        QVERIFY(!result.lrs.empty());
        QVERIFY(result.suggestedLr > 0);
        QTRY_COMPARE(points.count(), static_cast<int>(result.lrs.size())); // queued: may trail
        QCOMPARE(finished.count(), 1);
    }

    void lrFindBadSpecFailsNamingTheField() {
        LrFindJob job;
        QSignalSpy failed(&job, &LrFindJob::failed);
        LrFindSpec find;
        find.steps = 2;
        job.start(m_data, quickSpec(), find);
        const QString message = failure(failed);
        QVERIFY2(message.contains(QStringLiteral("steps")), qPrintable(message));
    }

    void crossValidationReportsProgressAndFolds() {
        ExperimentJob job; // no run store: records nothing
        QSignalSpy progress(&job, &ExperimentJob::progress);
        QSignalSpy finished(&job, &ExperimentJob::cvFinished);
        CvOptions options;
        options.folds = 3;
        job.crossValidate(m_data, quickSpec(), options);
        QVERIFY(finished.wait(120000));
        const auto cv = finished.first().at(0).value<CvResult>();
        QCOMPARE(static_cast<int>(cv.folds.size()), 3);
        QVERIFY(cv.meanRmse > 0.3 && cv.meanRmse < 2.0);
        QTRY_VERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(1).toInt(), 3);
    }

    void crossValidationBadOptionsFailNamingTheField() {
        ExperimentJob job;
        QSignalSpy failed(&job, &ExperimentJob::failed);
        CvOptions options;
        options.folds = 1;
        job.crossValidate(m_data, quickSpec(), options);
        const QString message = failure(failed);
        QVERIFY2(message.contains(QStringLiteral("folds")), qPrintable(message));
    }

    void stoppingCrossValidationReturnsTheFoldsSoFar() {
        ExperimentJob job;
        QSignalSpy finished(&job, &ExperimentJob::cvFinished);
        TrainSpec spec = quickSpec();
        spec.epochs = 500; // far longer than the test waits
        CvOptions options;
        options.folds = 5;
        job.crossValidate(m_data, spec, options);
        QTest::qWait(200);
        QVERIFY(job.isRunning());
        job.stop();
        QVERIFY(finished.wait(60000));
        const auto cv = finished.first().at(0).value<CvResult>();
        QVERIFY(cv.stopped);
        QVERIFY(cv.folds.size() < 5);
    }

    // Closing the window mid-experiment: the job's destructor stops the work and joins it
    // (without the stop this would train 5 x 500 epochs before returning).
    void destroyingARunningJobStopsIt() {
        QElapsedTimer timer;
        timer.start();
        {
            ExperimentJob job;
            TrainSpec spec = quickSpec();
            spec.epochs = 500; // far longer than the test waits
            CvOptions options;
            options.folds = 5;
            job.crossValidate(m_data, spec, options);
            QVERIFY(job.isRunning());
            QTest::qWait(200);
        } // stops and waits
        qInfo("a 5-fold, 500-epoch cross-validation stopped and joined after %lld ms", timer.elapsed());
    }

    // The explorer's t-SNE and rated-alike jobs hand an error back with the request's tag (the
    // explorer drops results of earlier requests by it), and a t-SNE job gone mid-run stops.
    void mapJobsReportErrorsAndStop() {
        TsneJob job;
        std::vector<TsneFrame> frames;
        connect(&job, &TsneJob::frame, this, [&](const TsneFrame& f) { frames.push_back(f); });
        auto factors = std::make_shared<const Matrix>(Matrix{10, 2, std::vector<float>(20, 1.0f)});
        job.request({factors, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, TsneOptions{}, 7}); // perplexity 30 > 10 points
        QVERIFY(QTest::qWaitFor([&] { return !job.isBusy(); }, 10000));
        QCOMPARE(frames.size(), std::size_t(1));
        QCOMPARE(frames[0].generation, 7);
        QVERIFY2(frames[0].error.contains(QStringLiteral("perplexity")), qPrintable(frames[0].error));

        RatedAlikeJob alike;
        std::vector<RatedAlikeResult> results;
        connect(&alike, &RatedAlikeJob::ready, this, [&](const RatedAlikeResult& r) { results.push_back(r); });
        alike.request({m_data, 3, coRatingMeasure(), 5, 4});
        QVERIFY(QTest::qWaitFor([&] { return !alike.isBusy(); }, 10000));
        QCOMPARE(results.size(), std::size_t(1));
        QCOMPARE(results[0].generation, 4);
        QVERIFY(results[0].error.isEmpty());
        QCOMPARE(results[0].rows.size(), std::size_t(5));

        QElapsedTimer timer;
        timer.start();
        {
            TsneJob running;
            Matrix big{3000, 8, {}};
            for (int k = 0; k < 3000 * 8; ++k)
                big.values.push_back(static_cast<float>((k * 7919) % 101));
            TsneOptions o;
            o.iterations = 100000; // far longer than the test waits
            std::vector<int32_t> rows(3000);
            std::iota(rows.begin(), rows.end(), 0);
            running.request({std::make_shared<const Matrix>(big), rows, o, 1});
            QTest::qWait(300);
        } // stops at its next frame and joins
        qInfo("a 100,000-iteration t-SNE stopped and joined after %lld ms", timer.elapsed());
    }
};

QTEST_MAIN(TestJobs)
#include "tst_jobs.moc"
