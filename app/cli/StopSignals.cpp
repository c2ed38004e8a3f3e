#include "app/cli/StopSignals.h"

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace factorscope::cli {

namespace {
std::atomic<TrainControl*> g_control{nullptr};
volatile std::sig_atomic_t g_signal = 0;
struct sigaction g_previous[2];
constexpr int kSignals[2] = {SIGINT, SIGTERM};

extern "C" void onStopSignal(int sig) {
    if (g_signal != 0) { // the second: end now, as the signal's default would
        std::signal(sig, SIG_DFL);
        ::raise(sig);
        return;
    }
    g_signal = sig;
    static constexpr char kNote[] = "factorscope-cli: stopping after this batch (signal again to end at once)\n";
    [[maybe_unused]] const auto n = ::write(STDERR_FILENO, kNote, sizeof kNote - 1);
    if (TrainControl* c = g_control.load()) // an atomic store: safe in a handler
        c->requestStop();
}
static_assert(std::atomic<TrainControl*>::is_always_lock_free);
} // namespace

StopOnSignals::StopOnSignals() {
    g_signal = 0;
    g_control.store(&m_control);
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int k = 0; k < 2; ++k)
        sigaction(kSignals[k], &sa, &g_previous[k]);
}

StopOnSignals::~StopOnSignals() {
    for (int k = 0; k < 2; ++k)
        sigaction(kSignals[k], &g_previous[k], nullptr);
    g_control.store(nullptr);
}

int StopOnSignals::signal() const { return static_cast<int>(g_signal); }

int StopOnSignals::exitCode(int otherwise) const { return g_signal ? 128 + static_cast<int>(g_signal) : otherwise; }

} // namespace factorscope::cli
