// The counter-based dropout (core/model/Dropout.h): keeps 1 - p of the elements at rates from
// 0.02 to 0.9, scales them by 1 / (1 - p), draws a new mask per call that torch::manual_seed
// repeats, gives the same mask whatever the thread count, and backward passes the gradient
// through exactly the kept elements. Also the BLAS report (core/common/BlasInfo.h).
#include "TestUtil.h"
#include "core/common/BlasInfo.h"
#include "core/model/Dropout.h"

#include <filesystem>

using namespace factorscope;

class TestDropout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keepsTheRightShare_data() {
        QTest::addColumn<double>("p");
        for (double p : {0.02, 0.1, 0.25, 0.5, 0.9})
            QTest::newRow(std::to_string(p).c_str()) << p;
    }
    void keepsTheRightShare() {
        QFETCH(double, p);
        torch::manual_seed(1);
        const auto x = torch::ones({1024, 500});
        const auto y = maskedDropout(x, p, true);
        const double kept = (y != 0).sum().item<double>() / static_cast<double>(x.numel());
        // 512,000 Bernoulli draws: the share's standard deviation is under 0.0007.
        QVERIFY2(std::abs(kept - (1 - p)) < 0.004, qPrintable(QString::number(kept)));
        // Kept elements carry the inverted-dropout scale; the mean stays near 1.
        const auto nonzero = y.masked_select(y != 0);
        QVERIFY(torch::allclose(nonzero, torch::full_like(nonzero, 1.0 / (1.0 - p))));
        QVERIFY(std::abs(y.mean().item<double>() - 1.0) < 0.01 / (1 - p));
    }
    void neighboursAndCallsAreIndependent() {
        // Adjacent elements and consecutive calls: no visible correlation between the masks.
        torch::manual_seed(2);
        const auto x = torch::ones({1 << 20});
        const auto a = (maskedDropout(x, 0.5, true) != 0).to(torch::kFloat);
        const auto b = (maskedDropout(x, 0.5, true) != 0).to(torch::kFloat);
        auto corr = [](const torch::Tensor& u, const torch::Tensor& v) {
            const auto cu = u - u.mean(), cv = v - v.mean();
            return (cu * cv).mean().item<double>() / (cu.std().item<double>() * cv.std().item<double>());
        };
        QVERIFY(std::abs(corr(a, b)) < 0.01);
        QVERIFY(std::abs(corr(a.slice(0, 0, (1 << 20) - 1), a.slice(0, 1))) < 0.01);
        QVERIFY(!torch::equal(a, b));
    }
    void seedRepeatsAndThreadsDoNotMatter() {
        const auto x = torch::randn({700, 300});
        auto draw = [&](int threads) {
            torch::set_num_threads(threads);
            torch::manual_seed(7);
            return maskedDropout(x, 0.3, true);
        };
        const auto one = draw(1);
        QVERIFY(torch::equal(one, draw(1)));
        QVERIFY(torch::equal(one, draw(2)));
        torch::set_num_threads(1);
    }
    void backwardUsesTheSameMask() {
        torch::manual_seed(3);
        const auto x = torch::randn({256, 64}).requires_grad_(true);
        const auto y = maskedDropout(x, 0.4, true);
        const auto w = torch::randn({256, 64});
        (y * w).sum().backward();
        // d/dx of sum(w * mask(x) * scale) is w * scale where kept, 0 where dropped.
        const auto kept = (y != 0) | (x == 0);
        const auto expected = torch::where(kept, w / 0.6, torch::zeros_like(w));
        QVERIFY(torch::allclose(x.grad(), expected, 1e-5, 1e-6));
    }
    void evalAndZeroAreIdentity() {
        const auto x = torch::randn({10, 10});
        QVERIFY(torch::equal(maskedDropout(x, 0.5, false), x));
        QVERIFY(torch::equal(maskedDropout(x, 0.0, true), x));
        MaskedDropout module(0.5);
        module->eval();
        QVERIFY(torch::equal(module(x), x));
    }
    void blasIsReported() {
        // LibTorch links libblas.so.3, so some BLAS is loaded; the report names a real file.
        const BlasInfo b = loadedBlas();
        QVERIFY(!b.name.empty());
        QVERIFY2(std::filesystem::exists(b.library), b.library.c_str());
        QVERIFY(describe(b).rfind(b.name, 0) == 0);
        if (b.name == "OpenBLAS") {
            QVERIFY(b.optimised);
            QVERIFY(b.threading == "OpenMP" || b.threading == "pthreads" || b.threading == "sequential");
            QVERIFY(b.threads >= 1);
            QVERIFY(blasWarning(b).empty());
        }
        // The reference BLAS is named as such and its warning carries the command that fixes it.
        BlasInfo reference;
        reference.name = "reference BLAS";
        QVERIFY(blasWarning(reference).find(kBlasFixCommand) != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestDropout)
#include "tst_dropout.moc"
