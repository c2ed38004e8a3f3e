#include "ui/Lessons.h"

#include <QObject>

namespace factorscope::ui {

namespace {

QString tr(const char* text) { return QObject::tr(text); }

// The defaults with a few changes, trained afresh and watched on the Training tab.
std::function<void(LessonDriver&)> trainWith(const std::function<void(TrainSpec&)>& change) {
    return [change](LessonDriver& d) {
        TrainSpec s = d.spec();
        const TrainSpec defaults = TrainSpec::defaults();
        s.model = defaults.model;
        s.optimizer = defaults.optimizer;
        s.schedule = defaults.schedule;
        s.epochs = defaults.epochs;
        s.setLoss(LossKind::Mse);
        change(s);
        d.setSpec(s);
        d.trainNew();
        d.showTab(QStringLiteral("trainingView"));
    };
}

// The Runs page with the lesson's two runs selected: their curves overlaid, their specs compared.
void lastTwoRuns(LessonDriver& d) {
    d.showTab(QStringLiteral("runsView"));
    d.selectNewestRuns(2);
}

Lesson embeddings() {
    return {tr("Embeddings"),
            tr("What a model learns about each movie, and where the genres come from."),
            {{tr("A model gives every user and every movie a short list of numbers, an <b>embedding</b> (32 here). "
                 "Its prediction of a rating is the dot product of the user's list with the movie's, plus a bias for "
                 "each. Training nudges all of the numbers, batch after batch, so that predictions come closer to "
                 "the ratings: watch the loss per epoch fall."),
              trainWith([](TrainSpec& s) { s.model.factors = 32; }), QStringLiteral("epochLossChart")},
             {tr("Each dot is a movie: its 32 numbers squeezed onto the two directions in which the movies differ "
                 "most (principal components). The demo data's users have planted tastes for genres, but the model "
                 "was never told any genre. Still, movies of one genre gather: the model found them in who rated "
                 "what."),
              [](LessonDriver& d) { d.showExplorer(0, false); }, QStringLiteral("explorerMap")},
             {tr("The movies whose embeddings point the same way as the most rated movie's. Most share its genre. "
                 "The last column says whether the same users also rated them alike, which the model only saw "
                 "through the ratings."),
              [](LessonDriver& d) { d.showExplorer(1, true); }, QStringLiteral("neighboursTable")}}};
}

Lesson biases() {
    return {tr("Biases"),
            tr("Some movies are liked by everyone, some users rate everything high."),
            {{tr("First a model without biases: only the dot product of the two embeddings. Note where the "
                 "validation RMSE ends (lower is better)."),
              trainWith([](TrainSpec& s) { s.setModelKind(ModelKind::Dot); }), QStringLiteral("rmseChart")},
             {tr("Now the same model with one number per user and one per movie added to each prediction: a "
                 "generous user's bias is high, a widely liked movie's too. The embeddings no longer have to carry "
                 "that, and the validation RMSE ends lower."),
              trainWith([](TrainSpec& s) { s.setModelKind(ModelKind::DotBias); }), QStringLiteral("rmseChart")},
             {tr("The Runs page overlays both runs' validation curves; the table below lists how their settings "
                 "differ (only the model)."),
              lastTwoRuns, QStringLiteral("runsChart")},
             {tr("The map coloured by each movie's learned bias: what the model thinks of a movie before it knows "
                 "who is asking."),
              [](LessonDriver& d) { d.colourExplorerByBias(); }, QStringLiteral("explorerMap")}}};
}

Lesson overfitting() {
    return {tr("Overfitting and weight decay"),
            tr("Why a model that fits its training ratings better can predict new ones worse."),
            {{tr("128 numbers per user and movie and no weight decay, for 15 epochs. The training loss keeps "
                 "falling toward zero; the validation loss falls, then turns up after a few epochs: the model is "
                 "memorising the training ratings instead of learning tastes."),
              trainWith([](TrainSpec& s) {
                  s.model.factors = 128;
                  s.optimizer.weightDecay = 0;
                  s.epochs = 15;
              }),
              QStringLiteral("epochLossChart")},
             {tr("The same with weight decay 0.4: every step also pulls each number a little toward zero, so only "
                 "patterns many ratings agree on grow large. The two losses stay close."),
              trainWith([](TrainSpec& s) {
                  s.model.factors = 128;
                  s.epochs = 15;
              }),
              QStringLiteral("epochLossChart")},
             {tr("Both runs' validation RMSE side by side: the first has its best epoch early (marked), the second "
                 "keeps improving."),
              lastTwoRuns, QStringLiteral("runsChart")}}};
}

Lesson learningRates() {
    return {tr("Learning rates and schedules"),
            tr("How big each step is, and why it changes during a run."),
            {{tr("The learning rate sets how far each batch moves the numbers. This chart previews it for every "
                 "batch of the run: one-cycle warms up, peaks, then anneals to almost nothing, so the model first "
                 "explores and then settles."),
              [](LessonDriver& d) { d.showTab(QStringLiteral("scheduleView")); }, QStringLiteral("scheduleChart")},
             {tr("The range test trains for a moment while raising the learning rate from tiny to huge, and plots "
                 "the loss against it. Too small: the loss barely moves. Too large: it shoots up. The marked "
                 "suggestion lies where it falls fastest."),
              [](LessonDriver& d) { d.findLearningRate(); }, QStringLiteral("lrFindChart")},
             {tr("A constant learning rate 20 times too large: the batch loss jumps about and ends high, or the run "
                 "stops as diverged."),
              trainWith([](TrainSpec& s) {
                  s.optimizer.lr = 0.1;
                  s.schedule.kind = ScheduleKind::Constant;
                  s.epochs = 5;
              }),
              QStringLiteral("batchLossChart")},
             {tr("The default one-cycle schedule at 0.005: the learning rate (bottom right) rises and falls, and "
                 "the batch loss settles smoothly."),
              trainWith([](TrainSpec&) {}), QStringLiteral("lrChart")}}};
}

Lesson neighbours() {
    return {tr("Neighbours"),
            tr("Two ways to say two movies are alike: their embeddings, or who rated them alike."),
            {{tr("A factor model's neighbours of the most rated movie: the movies whose embeddings point the same "
                 "way (cosine similarity). Switch to Euclidean distance above the list to see how length changes "
                 "the answer."),
              [](LessonDriver& d) {
                  trainWith([](TrainSpec&) {})(d);
                  d.showExplorer(1, true);
              },
              QStringLiteral("neighboursTable")},
             {tr("A neighbourhood model learns no embeddings: it compares movies by the ratings of the users who "
                 "rated both, and predicts a rating from the user's ratings of the most similar movies. Its "
                 "neighbours of the same movie, with their support (the users who rated both)."),
              [](LessonDriver& d) {
                  trainWith([](TrainSpec& s) {
                      s.setModelKind(ModelKind::Knn);
                      s.model.knnOn = KnnOn::Items;
                  })(d);
                  d.showExplorer(1, true);
              },
              QStringLiteral("neighboursTable")}}};
}

Lesson ranking() {
    return {tr("Ranking against rating prediction"),
            tr("Predicting stars well is not the same as putting the right movies first."),
            {{tr("Trained on squared error, the model predicts ratings; the chart shows its validation RMSE. Each "
                 "epoch also ranks every movie for a sample of users: nDCG@10 says how high their held-out movies "
                 "came in those top 10 lists (the Runs page has it)."),
              trainWith([](TrainSpec&) {}), QStringLiteral("rmseChart")},
             {tr("Trained by BPR, the model learns only that a movie a user rated ranks above one they did not. Its "
                 "numbers are no longer stars; the chart follows nDCG@10 instead of RMSE."),
              trainWith([](TrainSpec& s) { s.setLoss(LossKind::Bpr); }), QStringLiteral("rmseChart")},
             {tr("The two runs in the Runs table: compare the nDCG column. Which is better depends on the job: a "
                 "rating to show, or a list to fill."),
              lastTwoRuns, QStringLiteral("runsTable")}}};
}

} // namespace

const std::vector<Lesson>& lessons() {
    static const std::vector<Lesson> all = {embeddings(),    biases(),     overfitting(),
                                            learningRates(), neighbours(), ranking()};
    return all;
}

} // namespace factorscope::ui
