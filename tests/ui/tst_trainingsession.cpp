// The training session: real training on demo data in a worker thread, reported through
// queued, coalesced signals; stop, pause and the live learning-rate override; and the longest
// event-loop stall while it trains (reported, not asserted: timing is not a test).
#include "TestUtil.h"
#include "ui/session/TrainingSession.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTimer>

using namespace factorscope;
using factorscope::ui::Predictions;
using factorscope::ui::TrainingSession;

namespace {
TrainSpec quickSpec(int epochs) { return test::quickSpec(epochs, 128); }
int batchesIn(const QSignalSpy& spy) {
    int n = 0;
    for (const auto& args : spy)
        n += args.at(0).value<QVector<BatchStats>>().size();
    return n;
}
} // namespace

class TestTrainingSession : public QObject {
    Q_OBJECT
    std::shared_ptr<const Dataset> m_data = std::make_shared<const Dataset>(test::smallDemo());

private Q_SLOTS:
    void trainsAndReports() {
        TrainingSession session;
        QSignalSpy started(&session, &TrainingSession::started);
        QSignalSpy batches(&session, &TrainingSession::batchesReady);
        QSignalSpy epochs(&session, &TrainingSession::epochFinished);
        QSignalSpy finished(&session, &TrainingSession::finished);
        QVERIFY(session.start(m_data, quickSpec(3)));
        QVERIFY(session.isRunning());
        QTRY_COMPARE(started.count(), 1);                       // once the worker has made the split
        QVERIFY(finished.count() == 1 || finished.wait(60000)); // it may have come while waiting above
        QVERIFY(!session.isRunning());
        QCOMPARE(epochs.count(), 3);
        const int perEpoch = (static_cast<int>(session.split().train.size()) + 127) / 128;
        QCOMPARE(batchesIn(batches), 3 * perEpoch);
        // Coalesced: far fewer signals than batches.
        QVERIFY2(batches.count() < 3 * perEpoch, qPrintable(QString::number(batches.count())));
        const auto result = finished.first().at(0).value<TrainResult>();
        QVERIFY(result.stopReason == StopReason::Completed);
        QVERIFY(result.bestValRmse < result.baselineRmse);
        QVERIFY(session.model());
        // The validation predictions were made on the worker, from the final weights.
        const auto made = session.lastPredictions();
        QVERIFY(made);
        QCOMPARE(made->predicted.size(), session.split().validation.size());
        const Predictions again = factorscope::ui::predictValidation(*session.model(), *m_data, session.split());
        QCOMPARE(made->predicted, again.predicted);
        QCOMPARE(made->baselineRmse, again.baselineRmse);
    }

    void continuesTheSameModel() {
        TrainingSession session;
        QSignalSpy finished(&session, &TrainingSession::finished);
        QVERIFY(session.start(m_data, quickSpec(1)));
        QVERIFY(finished.wait(60000));
        QSignalSpy epochs(&session, &TrainingSession::epochFinished);
        QVERIFY(session.start(m_data, quickSpec(1)));
        QVERIFY(finished.wait(60000));
        QCOMPARE(epochs.first().at(0).value<EpochStats>().epoch, 2);
        // Another network does not continue (the CLI's --resume rule), and says why.
        TrainSpec smaller = quickSpec(1);
        smaller.model.factors = 16;
        std::string why;
        QVERIFY(session.continues(m_data, quickSpec(1)));
        QVERIFY(!session.continues(m_data, smaller, &why));
        QVERIFY2(why.find("factors 64 -> 16") != std::string::npos, why.c_str());
        QVERIFY(session.start(m_data, smaller));
        QVERIFY(finished.wait(60000));
        QCOMPARE(epochs.last().at(0).value<EpochStats>().epoch, 1);
        QCOMPARE(session.model()->spec().factors, 16);
        session.forget();
        QVERIFY(session.start(m_data, quickSpec(1)));
        QVERIFY(finished.wait(60000));
        QCOMPARE(epochs.last().at(0).value<EpochStats>().epoch, 1);
    }

    void stopEndsTheRun() {
        TrainingSession session;
        QSignalSpy batches(&session, &TrainingSession::batchesReady);
        QSignalSpy finished(&session, &TrainingSession::finished);
        QVERIFY(session.start(m_data, quickSpec(500)));
        QVERIFY(batches.wait(30000));
        session.stop();
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.first().at(0).value<TrainResult>().stopReason == StopReason::Stopped);
    }

    void pauseHoldsAndResumeGoesOn() {
        TrainingSession session;
        QSignalSpy batches(&session, &TrainingSession::batchesReady);
        QSignalSpy paused(&session, &TrainingSession::pausedChanged);
        QSignalSpy finished(&session, &TrainingSession::finished);
        QVERIFY(session.start(m_data, quickSpec(500)));
        QVERIFY(batches.wait(30000));
        session.pause();
        QCOMPARE(paused.count(), 1);
        QVERIFY(session.isPaused());
        // Let anything already in flight arrive, then nothing more may come while paused.
        QTest::qWait(200);
        const int during = batchesIn(batches);
        QTest::qWait(300);
        QCOMPARE(batchesIn(batches), during);
        session.resume();
        QVERIFY(batches.wait(30000));
        QVERIFY(batchesIn(batches) > during);
        session.stop();
        QVERIFY(finished.wait(30000));
    }

    void liveLearningRate() {
        TrainingSession session;
        QSignalSpy batches(&session, &TrainingSession::batchesReady);
        QSignalSpy finished(&session, &TrainingSession::finished);
        QVERIFY(session.start(m_data, quickSpec(500)));
        QVERIFY(batches.wait(30000));
        session.setLearningRate(0.0042);
        batches.clear();
        QTRY_VERIFY_WITH_TIMEOUT(batchesIn(batches) > 3, 30000);
        const auto last = batches.last().at(0).value<QVector<BatchStats>>().last();
        QCOMPARE(last.lr, 0.0042);
        session.stop();
        QVERIFY(finished.wait(30000));
    }

    void badSpecFailsWithAMessage() {
        TrainingSession session;
        QSignalSpy failed(&session, &TrainingSession::failed);
        TrainSpec s = quickSpec(1);
        s.split = SplitSpec::parse("ua"); // the demo data has no predefined splits
        QVERIFY(!session.start(m_data, s));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("ua")));
        s = quickSpec(1);
        s.device = "quantum";
        QVERIFY(!session.start(m_data, s));
        QVERIFY(failed.last().at(0).toString().contains(QStringLiteral("quantum")));
    }

    void destroyingMidRunStopsCleanly() {
        auto session = std::make_unique<TrainingSession>();
        QSignalSpy batches(session.get(), &TrainingSession::batchesReady);
        QVERIFY(session->start(m_data, quickSpec(500)));
        QVERIFY(batches.wait(30000));
        session.reset(); // joins the worker; nothing dangles
        QTest::qWait(50);
    }

    // Issue 3 asks for the longest event-loop stall during training to stay under 50 ms.
    // Measured here and printed; asserting on it would make the test depend on the machine.
    void reportEventLoopStall() {
        auto full = std::make_shared<const Dataset>(generateDemo(DemoSpec{}));
        TrainingSession session;
        QSignalSpy finished(&session, &TrainingSession::finished);
        qint64 worst = 0;
        QElapsedTimer clock;
        QTimer tick;
        tick.setInterval(1);
        QObject::connect(&tick, &QTimer::timeout, [&] { worst = std::max(worst, clock.restart()); });
        TrainSpec s = quickSpec(3);
        s.batchSize = 1024;
        s.threads = 0;
        QVERIFY(session.start(full, s));
        clock.start();
        tick.start();
        QVERIFY(finished.wait(120000));
        tick.stop();
        qInfo("longest event-loop stall while training 3 epochs of the demo data: %lld ms", worst);
    }
};

QTEST_MAIN(TestTrainingSession)
#include "tst_trainingsession.moc"
