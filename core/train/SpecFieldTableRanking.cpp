// The field table's rows for what training minimises and how each epoch is ranked
// (SpecFields.h).
#include "core/train/SpecFieldRows.h"

namespace factorscope::fieldrows {

namespace {
bool bpr(const TrainSpec& s) { return s.loss == LossKind::Bpr; }
bool ranks(const TrainSpec& s) { return s.ranksOnly(); }
} // namespace

std::vector<SpecField> lossFields() {
    std::vector<SpecField> f;
    f.push_back(choice<LossKind>(
        {.name = "loss",
         .label = "Loss",
         .group = G::Training,
         .type = T::Choice,
         .jsonSection = "",
         .json = {"loss"},
         .help = "What training minimises: mse, the squared error against the ratings (predicts ratings); bpr, "
                 "Bayesian personalised ranking (each rated movie scored above sampled unrated ones: a top-K "
                 "recommender for clicks or ratings alike; it brings its own learning rate, negatives and epochs)",
         .grid = true,
         .optionalInJson = true},
        {LossKind::Mse, LossKind::Bpr}, [](const TrainSpec& s) { return s.loss; },
        [](TrainSpec& s, LossKind k) { s.setLoss(k); }));
    f.push_back(bind({.name = "negatives",
                      .label = "Negatives per positive",
                      .group = G::Training,
                      .type = T::Integer,
                      .jsonSection = "",
                      .json = {"negatives"},
                      .min = 1,
                      .max = 1000,
                      .help = "BPR: how many unrated movies are sampled against each rated one",
                      .grid = true,
                      .optionalInJson = true,
                      .applies = bpr},
                     &TrainSpec::negatives));
    f.push_back(bind({.name = "positive-at",
                      .label = "Positive from rating",
                      .group = G::Training,
                      .type = T::Real,
                      .jsonSection = "",
                      .json = {"positive_at"},
                      .min = 0,
                      .max = 1e6,
                      .help = "BPR and the rankers fitted at once (popularity, ease): only ratings of at least "
                              "this count as positives (0: every rating does)",
                      .grid = true,
                      .optionalInJson = true,
                      .applies = ranks},
                     &TrainSpec::positiveAt));
    f.push_back(bind({.name = "rank-k",
                      .label = "Rank at K each epoch",
                      .group = G::Training,
                      .type = T::Integer,
                      .jsonSection = "",
                      .json = {"rank_k"},
                      .min = 0,
                      .max = 100000,
                      .help = "After each epoch, measure validation nDCG at K over the movies each user did not "
                              "rate in training (BPR keeps the epoch where it is best); 0 does not",
                      .advanced = true,
                      .optionalInJson = true},
                     &TrainSpec::rankK));
    f.push_back(bind({.name = "rank-users",
                      .label = "Users ranked each epoch",
                      .group = G::Training,
                      .type = T::Integer,
                      .jsonSection = "",
                      .json = {"rank_users"},
                      .min = 1,
                      .max = 100000000,
                      .help = "At most this many users (a fixed sample of those with held-out ratings) are ranked "
                              "after each epoch; a tenth of them for linear, mlp and neumf, which score each user's "
                              "every movie through the network",
                      .advanced = true,
                      .optionalInJson = true,
                      .applies = [](const TrainSpec& s) { return s.rankK > 0; }},
                     &TrainSpec::rankUsers));
    return f;
}

} // namespace factorscope::fieldrows
