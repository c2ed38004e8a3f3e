#include "ui/views/StepView.h"

#include "core/analysis/Pca.h"
#include "core/common/Error.h"
#include "ui/views/ListTable.h"
#include "ui/views/MapWidget.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QShowEvent>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace factorscope::ui {

namespace {

constexpr int kMapMovies = 1500;

QString num(double v) { return QString::number(v, 'f', 4); }
QString pair(const StepParams& p) { return QStringLiteral("(%1, %2)").arg(num(p[0]), num(p[1])); }
QString signedNum(double v) { return v < 0 ? QStringLiteral("(%1)").arg(num(v)) : num(v); }

// 1, 2 or 5 times a power of ten, at least 1: how much longer the arrows are drawn.
double niceFactor(double wanted) {
    if (!(wanted > 1))
        return 1;
    const double p = std::pow(10.0, std::floor(std::log10(wanted)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * p >= wanted * 0.7)
            return m * p;
    return 10 * p;
}

} // namespace

StepView::StepView(QWidget* parent) : QWidget(parent) {
    m_step = new QPushButton(tr("&Step"));
    m_step->setObjectName(QStringLiteral("step"));
    m_step->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Right));
    m_step->setToolTip(tr("Train exactly one batch (Ctrl+Right)"));
    m_steps = new QPushButton(tr("10 steps"));
    m_reset = new QPushButton(tr("&Reset"));
    m_reset->setToolTip(tr("Start again from fresh random factors, with this learning rate and batch size"));
    m_lr = new QDoubleSpinBox;
    m_lr->setRange(0.001, 2.0);
    m_lr->setDecimals(3);
    m_lr->setSingleStep(0.01);
    m_lr->setValue(StepSettings{}.lr);
    m_lr->setToolTip(tr("How far each step moves the parameters along their gradient: too small crawls, too large "
                        "overshoots"));
    m_batchSize = new QSpinBox;
    m_batchSize->setRange(1, 4096);
    m_batchSize->setValue(StepSettings{}.batch);
    m_batchSize->setToolTip(tr("How many ratings one step learns from (Reset to apply)"));
    m_status = new QLabel;
    connect(m_step, &QPushButton::clicked, this, [this] { step(1); });
    connect(m_steps, &QPushButton::clicked, this, [this] { step(10); });
    connect(m_reset, &QPushButton::clicked, this, &StepView::reset);
    connect(m_lr, &QDoubleSpinBox::valueChanged, this, [this](double lr) {
        if (m_lesson)
            m_lesson->setLearningRate(lr);
    });
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_step);
    controls->addWidget(m_steps);
    controls->addWidget(m_reset);
    controls->addSpacing(16);
    controls->addWidget(new QLabel(tr("Learning rate")));
    controls->addWidget(m_lr);
    controls->addWidget(new QLabel(tr("Batch")));
    controls->addWidget(m_batchSize);
    controls->addSpacing(16);
    controls->addWidget(m_status, 1);

    m_map = new MapWidget;
    m_map->setAxisTitles(tr("Factor 1 (v₁)"), tr("Factor 2 (v₂)"));
    m_mapCaption = new QLabel;
    m_mapCaption->setWordWrap(true);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_map, 1);
    leftLayout->addWidget(m_mapCaption);

    m_batch = listTable({tr("Movie in this batch"), tr("User"), tr("Rating"), tr("Predicted"), tr("Error")});
    m_batch->setToolTip(tr("Click a rating to follow it: every next batch includes it, and its numbers show below"));
    connect(m_batch, &QTableWidget::cellClicked, this,
            [this](int row, int) { follow(m_batch->item(row, 0)->data(Qt::UserRole).toLongLong()); });
    m_worked = new QLabel;
    m_worked->setWordWrap(true);
    m_worked->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_worked->setObjectName(QStringLiteral("worked"));
    m_edit = new QDoubleSpinBox;
    m_edit->setDecimals(1);
    m_apply = new QPushButton(tr("Change this rating"));
    m_apply->setToolTip(tr("In the lesson's copy of the ratings only: the data set's files are never changed"));
    connect(m_apply, &QPushButton::clicked, this, [this] { changeRating(m_edit->value()); });
    auto* edit = new QHBoxLayout;
    edit->addWidget(new QLabel(tr("Make it")));
    edit->addWidget(m_edit);
    edit->addWidget(m_apply);
    edit->addStretch();
    m_topTitle = new QLabel;
    m_top = listTable({tr("Top 10 unseen"), tr("Predicted")});
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_batch, 2);
    rightLayout->addWidget(m_worked);
    rightLayout->addLayout(edit);
    rightLayout->addWidget(m_topTitle);
    rightLayout->addWidget(m_top, 2);

    right->setMinimumWidth(520);
    auto* split = new QSplitter;
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(split, 1);
    refresh();
}

StepView::~StepView() = default;

void StepView::setData(std::shared_ptr<const Dataset> data) {
    m_data = std::move(data);
    m_lesson.reset();
    m_last = {};
    m_stale = true;
    if (isVisible())
        reset();
    else
        refresh();
}

void StepView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_stale)
        reset();
}

bool StepView::usable() const { return m_data && m_data->ratings.size() > 0 && !m_data->implicit; }

void StepView::reset() {
    m_stale = false;
    m_lesson.reset();
    m_last = {};
    m_shown.clear();
    if (usable()) {
        std::vector<int64_t> counts(static_cast<std::size_t>(m_data->items.size()), 0);
        for (int32_t i : m_data->ratings.item)
            ++counts[static_cast<std::size_t>(i)];
        m_shown = mostRated(counts, kMapMovies);
        m_edit->setRange(m_data->scaleMin, m_data->scaleMax);
        m_edit->setSingleStep(m_data->scaleMin == std::floor(m_data->scaleMin) ? 1.0 : 0.5);
        m_lesson = std::make_unique<StepLesson>(m_data, StepSettings{m_lr->value(), m_batchSize->value()});
    }
    refresh();
}

void StepView::step(int n) {
    if (m_stale)
        reset();
    if (!m_lesson)
        return;
    for (int k = 0; k < n; ++k)
        m_last = m_lesson->step();
    if (!m_lesson->followed() && !m_last.ratings.empty())
        m_lesson->follow(m_last.ratings.front().row);
    refresh();
}

void StepView::follow(int64_t row) {
    if (!m_lesson)
        return;
    m_lesson->follow(row);
    refreshWorked();
    refreshTop();
}

bool StepView::changeRating(double stars) {
    if (!m_lesson || !m_lesson->followed())
        return false;
    try {
        m_lesson->setRating(*m_lesson->followed(), stars);
    } catch (const SpecError& e) {
        m_status->setText(QString::fromStdString(e.what()));
        return false;
    }
    m_status->setText(tr("The followed rating is %1 now, in the lesson's copy: press Step and watch the user's vector "
                         "and top 10 follow it.")
                          .arg(stars));
    refreshWorked();
    return true;
}

QString StepView::workedText() const { return m_worked->text(); }
QString StepView::statusText() const { return m_status->text(); }

QString StepView::titleOf(int32_t item) const {
    return QString::fromStdString(m_data->catalogue.titleOf(m_data->items.original(item)));
}

void StepView::refresh() {
    const bool ready = m_lesson != nullptr;
    m_step->setEnabled(usable());
    m_steps->setEnabled(usable());
    m_apply->setEnabled(ready);
    if (!ready && usable())
        m_status->setText(tr("Press Step to train one batch."));
    else if (!ready)
        m_status->setText(m_data && m_data->implicit
                              ? tr("This data set has no rating values (clicks only): the lesson needs ratings.")
                              : tr("Load a data set to step through its training."));
    else
        m_status->setText(tr("Step %1 · %2 % of one pass over the %3 ratings · RMSE %4")
                              .arg(m_lesson->steps())
                              .arg(m_lesson->passes() * 100, 0, 'f', 2)
                              .arg(m_data->ratings.size())
                              .arg(m_lesson->rmse(), 0, 'f', 4));
    refreshMap();
    refreshBatch();
    refreshWorked();
    refreshTop();
}

void StepView::refreshMap() {
    QVector<MapWidget::Point> points;
    QVector<QLineF> arrows;
    if (m_lesson) {
        std::vector<int32_t> movies = m_shown;
        for (const StepMove& m : m_last.items) // the batch's movies, rarely rated or not
            if (std::find(movies.begin(), movies.end(), m.id) == movies.end())
                movies.push_back(m.id);
        double span = 1e-9;
        for (int32_t i : movies) {
            const StepParams& v = m_lesson->item(i);
            const bool inBatch = m_last.itemMove(i) != nullptr;
            points.push_back({QPointF(v[0], v[1]), i, inBatch ? 0 : -1, inBatch ? 1e9 : 0.0, titleOf(i)});
            span = std::max({span, std::abs(v[0]), std::abs(v[1])});
        }
        double longest = 0;
        for (const StepMove& m : m_last.items)
            longest = std::max(longest, std::hypot(m.after[0] - m.before[0], m.after[1] - m.before[1]));
        m_magnify = longest > 0 ? niceFactor(0.3 * span / longest) : 1;
        for (const StepMove& m : m_last.items) {
            const QPointF to(m.after[0], m.after[1]);
            arrows.push_back({to - m_magnify * QPointF(m.after[0] - m.before[0], m.after[1] - m.before[1]), to});
        }
        if (m_lesson->followed()) { // the followed rating's user, in the same two factors
            const int32_t u = m_data->ratings.user[static_cast<std::size_t>(*m_lesson->followed())];
            const StepParams& v = m_lesson->user(u);
            MapWidget::Point you{QPointF(v[0], v[1]), -1, -1, 0.0, tr("User %1").arg(m_data->users.original(u))};
            you.marker = true;
            points.push_back(you);
            if (const StepMove* m = m_last.userMove(u))
                arrows.push_back(
                    {you.pos - m_magnify * QPointF(m->after[0] - m->before[0], m->after[1] - m->before[1]), you.pos});
        }
    }
    m_map->setPoints(points, {tr("In this batch")});
    m_map->setArrows(arrows);
    if (m_lesson && m_lesson->followed())
        m_map->setSelected(m_data->ratings.item[static_cast<std::size_t>(*m_lesson->followed())]);
    m_mapCaption->setText(
        arrows.isEmpty()
            ? tr("Each movie sits at its two factors. Press Step: the movies of the batch move along their gradients.")
            : tr("Each movie sits at its two factors (the %1 most rated, and this batch's in colour); the red "
                 "diamond is the followed rating's user, at theirs. Arrows: where they came from, drawn %2× longer "
                 "than they moved.")
                  .arg(m_shown.size())
                  .arg(m_magnify));
}

void StepView::refreshBatch() {
    m_batch->setRowCount(static_cast<int>(m_last.ratings.size()));
    for (std::size_t k = 0; k < m_last.ratings.size(); ++k) {
        const RatingStep& s = m_last.ratings[k];
        const QStringList cells{titleOf(s.item), QString::number(m_data->users.original(s.user)),
                                QString::number(s.rating), num(s.prediction), num(s.error)};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(s.row));
            m_batch->setItem(static_cast<int>(k), c, item);
        }
    }
}

void StepView::refreshWorked() {
    if (!m_lesson || !m_lesson->followed()) {
        m_worked->setText(m_lesson ? tr("Press Step, then click a rating of the batch to follow it.") : QString());
        return;
    }
    const int64_t row = *m_lesson->followed();
    const auto k = static_cast<std::size_t>(row);
    const int32_t u = m_data->ratings.user[k], i = m_data->ratings.item[k];
    const QString who = tr("User <b>%1</b> rated <b>%2</b> %3 stars")
                            .arg(m_data->users.original(u))
                            .arg(titleOf(i).toHtmlEscaped())
                            .arg(m_lesson->ratingOf(row));
    m_edit->setValue(m_lesson->ratingOf(row));
    const auto it =
        std::find_if(m_last.ratings.begin(), m_last.ratings.end(), [row](const RatingStep& s) { return s.row == row; });
    if (it == m_last.ratings.end()) {
        m_worked->setText(tr("%1. The model predicts %2 now; the next batch includes this rating: press Step.")
                              .arg(who, num(m_lesson->predict(u, i))));
        return;
    }
    const RatingStep& s = *it;
    const StepMove* mu = m_last.userMove(u);
    const StepMove* mi = m_last.itemMove(i);
    const double lr = m_lr->value();
    QString t = who + QStringLiteral(".<br>");
    t += tr("Prediction = μ + b<sub>u</sub> + b<sub>i</sub> + u₁v₁ + u₂v₂ = %1 + %2 + %3 + %4 × %5 + %6 × %7 = "
            "<b>%8</b><br>")
             .arg(num(m_lesson->mean()), signedNum(s.userBefore[2]), signedNum(s.itemBefore[2]),
                  signedNum(s.userBefore[0]), signedNum(s.itemBefore[0]), signedNum(s.userBefore[1]),
                  signedNum(s.itemBefore[1]), num(s.prediction));
    t += tr("Error e = prediction − rating = %1 − %2 = <b>%3</b>; this rating's loss ½e² = %4<br>")
             .arg(num(s.prediction), QString::number(s.rating), num(s.error), num(0.5 * s.error * s.error));
    t += tr("Gradient of ½e²: on u, e·v = %1; on v, e·u = %2; on each bias, e = %3<br>")
             .arg(pair(s.userGradient), pair(s.itemGradient), num(s.error));
    const auto update = [&](const QString& name, const StepMove* m) {
        if (!m)
            return QString();
        return tr("%1 (%2 of the batch's ratings, gradients summed %3): %4 − %5 × %6 = <b>%7</b>; bias %8 − %5 × %9 = "
                  "<b>%10</b><br>")
            .arg(name)
            .arg(m->ratings)
            .arg(pair(m->gradient), pair(m->before), num(lr), pair(m->gradient), pair(m->after),
                 signedNum(m->before[2]), signedNum(m->gradient[2]))
            .arg(num(m->after[2]));
    };
    t += update(tr("Update u ← u − lr × gradient, user"), mu);
    t += update(tr("Update v ← v − lr × gradient, movie"), mi);
    m_worked->setText(t);
}

void StepView::refreshTop() {
    m_top->setRowCount(0);
    if (!m_lesson || !m_lesson->followed()) {
        m_topTitle->clear();
        return;
    }
    const int32_t u = m_data->ratings.user[static_cast<std::size_t>(*m_lesson->followed())];
    m_topTitle->setText(tr("<b>User %1</b>'s top 10 now").arg(m_data->users.original(u)));
    const auto top = m_lesson->topK(u, 10);
    m_top->setRowCount(static_cast<int>(top.size()));
    for (std::size_t k = 0; k < top.size(); ++k) {
        m_top->setItem(static_cast<int>(k), 0, new QTableWidgetItem(titleOf(top[k])));
        m_top->setItem(static_cast<int>(k), 1, new QTableWidgetItem(num(m_lesson->predict(u, top[k]))));
    }
}

} // namespace factorscope::ui
