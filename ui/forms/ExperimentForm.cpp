#include "ui/forms/ExperimentForm.h"

#include "core/common/Error.h"
#include "ui/forms/ScientificSpinBox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace factorscope::ui {

namespace {

QString joinNumbers(const auto& values) {
    QStringList parts;
    for (auto v : values)
        parts << QString::number(v);
    return parts.join(QLatin1Char(','));
}

template <class T> bool parseList(const QString& text, std::vector<T>& out) {
    out.clear();
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok)
            return false;
        out.push_back(static_cast<T>(v));
        if constexpr (std::is_integral_v<T>)
            if (v != static_cast<double>(static_cast<T>(v)))
                return false;
    }
    return true;
}

QGroupBox* group(const QString& title, QFormLayout*& form) {
    auto* box = new QGroupBox(title);
    form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    return box;
}

template <class W> W* tip(W* w, const char* text) {
    w->setToolTip(QString::fromUtf8(text));
    w->setWhatsThis(QString::fromUtf8(text));
    return w;
}

} // namespace

ExperimentForm::ExperimentForm(QWidget* parent) : QWidget(parent) {
    build();
    m_spec = TrainSpec::defaults();
    toControls();
}

void ExperimentForm::build() {
    auto* layout = new QVBoxLayout(this);
    buildDataGroup(layout);
    buildModelGroup(layout);
    buildOptimiserGroup(layout);
    buildScheduleGroup(layout);
    buildStoppingGroup(layout);
    m_messageLabel = new QLabel;
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setStyleSheet(QStringLiteral("color: #c62828; font-weight: bold;"));
    m_messageLabel->setVisible(false);
    layout->addWidget(m_messageLabel);
    layout->addStretch(1);

    setDataset(DatasetSummary{});
    setDevices({QStringLiteral("cpu")});
    connectFields();
}

void ExperimentForm::buildDataGroup(QVBoxLayout* layout) {
    QFormLayout* f = nullptr;
    layout->addWidget(group(tr("Data"), f));
    m_split = tip(new QComboBox, "Which ratings train the model and which are held out to measure it.");
    m_splitFraction = tip(new QDoubleSpinBox, "The share of ratings held out for validation.");
    m_splitFraction->setRange(0.01, 0.9);
    m_splitFraction->setSingleStep(0.05);
    m_splitK = tip(new QSpinBox, "How many ratings of each user are held out.");
    m_splitK->setRange(1, 1000);
    f->addRow(tr("Split:"), m_split);
    f->addRow(tr("Validation share:"), m_splitFraction);
    f->addRow(tr("Held out per user:"), m_splitK);
}

void ExperimentForm::buildModelGroup(QVBoxLayout* layout) {
    QFormLayout* f = nullptr;
    layout->addWidget(group(tr("Model"), f));
    m_model = tip(new QComboBox, "The architecture: how a user's and a movie's vectors become a rating.");
    for (auto k : {ModelKind::Dot, ModelKind::DotBias, ModelKind::Linear, ModelKind::Mlp, ModelKind::NeuMF})
        m_model->addItem(QString::fromStdString(toString(k)), static_cast<int>(k));
    m_model->setItemData(0, tr("Dot product of user and movie embeddings"), Qt::ToolTipRole);
    m_model->setItemData(1, tr("Dot product plus a bias per user and per movie, squashed into the rating range"),
                         Qt::ToolTipRole);
    m_model->setItemData(2, tr("Element-wise product, then a linear layer and ReLU"), Qt::ToolTipRole);
    m_model->setItemData(3, tr("Concatenated embeddings through hidden layers (an embedding net)"), Qt::ToolTipRole);
    m_model->setItemData(4, tr("Neural matrix factorisation: a dot-product tower and an MLP tower fused"),
                         Qt::ToolTipRole);
    m_factors = tip(new QSpinBox, "The length of each user's and movie's embedding vector.");
    m_factors->setRange(1, 4096);
    m_hidden = tip(new QLineEdit, "Sizes of the hidden layers, comma-separated, e.g. 500,500,500.");
    m_dropouts = tip(new QLineEdit, "Dropout after each hidden layer: the share of units switched off in training.");
    m_embeddingDropout = tip(new QDoubleSpinBox, "Dropout on the embeddings themselves, before the hidden layers.");
    m_embeddingDropout->setRange(0, 0.99);
    m_embeddingDropout->setSingleStep(0.05);
    m_yRange = tip(new QCheckBox(tr("Sigmoid into a range")),
                   "Squash predictions with a sigmoid into [min, max] so they never leave the rating scale.");
    m_yMin = tip(new QDoubleSpinBox, "The lowest rating the model can predict.");
    m_yMax = tip(new QDoubleSpinBox, "The highest rating the model can predict.");
    for (auto* s : {m_yMin, m_yMax}) {
        s->setRange(-100, 100);
        s->setSingleStep(0.5);
    }
    auto* yRow = new QWidget;
    auto* yl = new QHBoxLayout(yRow);
    yl->setContentsMargins(0, 0, 0, 0);
    yl->addWidget(m_yRange);
    yl->addWidget(m_yMin);
    yl->addWidget(new QLabel(QStringLiteral("–")));
    yl->addWidget(m_yMax);
    m_init = tip(new QComboBox, "How the embeddings start: small random values let training find structure.");
    for (auto k : {InitKind::TruncNormal, InitKind::Normal, InitKind::Uniform, InitKind::Default})
        m_init->addItem(QString::fromStdString(toString(k)), static_cast<int>(k));
    m_initStd = tip(new ScientificSpinBox, "The spread (standard deviation) of the initial weights.");
    m_initStd->setRange(1e-6, 10);
    f->addRow(tr("Type:"), m_model);
    f->addRow(tr("Factors:"), m_factors);
    f->addRow(tr("Hidden layers:"), m_hidden);
    f->addRow(tr("Dropouts:"), m_dropouts);
    f->addRow(tr("Embedding dropout:"), m_embeddingDropout);
    f->addRow(tr("Output:"), yRow);
    f->addRow(tr("Initialisation:"), m_init);
    f->addRow(tr("Initial spread:"), m_initStd);
}

void ExperimentForm::buildOptimiserGroup(QVBoxLayout* layout) {
    QFormLayout* f = nullptr;
    layout->addWidget(group(tr("Optimiser"), f));
    m_optimizer = tip(new QComboBox, "The rule that turns gradients into weight updates.");
    for (auto k : {OptimizerKind::AdamW, OptimizerKind::Adam, OptimizerKind::Sgd, OptimizerKind::Adagrad,
                   OptimizerKind::RmsProp})
        m_optimizer->addItem(QString::fromStdString(toString(k)), static_cast<int>(k));
    m_lr = tip(new ScientificSpinBox, "How big a step each update takes; for one-cycle, the peak.");
    m_lr->setRange(1e-9, 100);
    m_weightDecay = tip(new ScientificSpinBox, "Pulls weights towards zero each step, against overfitting.");
    m_weightDecay->setRange(0, 10);
    m_momentum = tip(new QDoubleSpinBox, "How much of the previous update carries into the next (SGD, RMSprop).");
    m_momentum->setRange(0, 0.999);
    m_momentum->setSingleStep(0.05);
    m_momentum->setDecimals(3);
    m_nesterov = tip(new QCheckBox(tr("Nesterov")), "Look ahead along the momentum before taking the gradient (SGD).");
    m_batchSize = tip(new QSpinBox, "Ratings per update: larger batches run faster, smaller ones update more often.");
    m_batchSize->setRange(1, 1 << 24);
    m_epochs = tip(new QSpinBox, "How many passes over the training ratings.");
    m_epochs->setRange(1, 100000);
    f->addRow(tr("Optimiser:"), m_optimizer);
    f->addRow(tr("Learning rate:"), m_lr);
    f->addRow(tr("Weight decay:"), m_weightDecay);
    f->addRow(tr("Momentum:"), m_momentum);
    f->addRow(QString(), m_nesterov);
    f->addRow(tr("Batch size:"), m_batchSize);
    f->addRow(tr("Epochs:"), m_epochs);
}

void ExperimentForm::buildScheduleGroup(QVBoxLayout* layout) {
    QFormLayout* f = nullptr;
    layout->addWidget(group(tr("Learning-rate schedule"), f));
    m_schedule = tip(new QComboBox, "How the learning rate changes during training.");
    for (auto k : {ScheduleKind::OneCycle, ScheduleKind::Constant, ScheduleKind::Step, ScheduleKind::Triangular,
                   ScheduleKind::Triangular2, ScheduleKind::ExpRange, ScheduleKind::Cosine})
        m_schedule->addItem(QString::fromStdString(toString(k)), static_cast<int>(k));
    m_pctStart = tip(new QDoubleSpinBox, "The share of training spent warming the rate up to its peak.");
    m_pctStart->setRange(0.01, 0.99);
    m_pctStart->setSingleStep(0.05);
    m_maxLr = tip(new ScientificSpinBox, "The top of the cycle; 0 means five times the learning rate.");
    m_maxLr->setRange(0, 100);
    m_stepSize = tip(new QSpinBox, "Batches per half cycle (or per decay step); 0 means one epoch.");
    m_stepSize->setRange(0, 1 << 30);
    m_gamma = tip(new QDoubleSpinBox, "The decay factor: step multiplies by it, exp_range shrinks cycles by it.");
    m_gamma->setRange(0.0001, 1);
    m_gamma->setDecimals(4);
    m_gamma->setSingleStep(0.05);
    f->addRow(tr("Schedule:"), m_schedule);
    f->addRow(tr("Warm-up share:"), m_pctStart);
    f->addRow(tr("Peak rate:"), m_maxLr);
    f->addRow(tr("Step size:"), m_stepSize);
    f->addRow(tr("Gamma:"), m_gamma);
}

void ExperimentForm::buildStoppingGroup(QVBoxLayout* layout) {
    QFormLayout* f = nullptr;
    layout->addWidget(group(tr("Stopping and reproducibility"), f));
    m_patience =
        tip(new QSpinBox, "Stop after this many epochs without a better validation RMSE; 0 never stops early.");
    m_patience->setRange(0, 100000);
    m_minEpochs = tip(new QSpinBox, "Never stop early before this many epochs.");
    m_minEpochs->setRange(0, 100000);
    m_restoreBest = tip(new QCheckBox(tr("Restore the best epoch's weights")),
                        "At the end, go back to the weights of the epoch with the best validation RMSE.");
    m_seed = tip(new QSpinBox, "The same seed gives the same split, initial weights and batches.");
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_threads = tip(new QSpinBox, "CPU threads for training. 0 is automatic: one thread, which measured fastest for "
                                  "every model on small machines, also while another program keeps a core busy.");
    m_threads->setRange(0, 1024);
    m_device = tip(new QComboBox, "Where training runs: the CPU, or a CUDA GPU when LibTorch has one.");
    f->addRow(tr("Patience:"), m_patience);
    f->addRow(tr("Minimum epochs:"), m_minEpochs);
    f->addRow(QString(), m_restoreBest);
    f->addRow(tr("Seed:"), m_seed);
    f->addRow(tr("Threads:"), m_threads);
    f->addRow(tr("Device:"), m_device);
}

// Every edit re-reads the form into the spec; tests and scripts find the fields by name.
void ExperimentForm::connectFields() {
    // The control of each setting, by the name SpecError::field() gives it (the CLI's flag).
    m_controls = {{"factors", m_factors},
                  {"hidden", m_hidden},
                  {"dropout", m_dropouts},
                  {"embedding-dropout", m_embeddingDropout},
                  {"y-range", m_yMin},
                  {"init-std", m_initStd},
                  {"lr", m_lr},
                  {"weight-decay", m_weightDecay},
                  {"momentum", m_momentum},
                  {"batch-size", m_batchSize},
                  {"epochs", m_epochs},
                  {"pct-start", m_pctStart},
                  {"max-lr", m_maxLr},
                  {"step size", m_stepSize},
                  {"gamma", m_gamma},
                  {"patience", m_patience},
                  {"min-epochs", m_minEpochs},
                  {"threads", m_threads}};
    for (const auto& [name, control] : m_controls)
        control->setObjectName(QString::fromStdString(name));
    auto edited = [this] { fromControls(); };
    // Tests and scripts find the fields by these names, never by their text.
    m_split->setObjectName(QStringLiteral("split"));
    m_model->setObjectName(QStringLiteral("model"));
    m_hidden->setObjectName(QStringLiteral("hidden"));
    m_init->setObjectName(QStringLiteral("init"));
    m_optimizer->setObjectName(QStringLiteral("optimizer"));
    m_schedule->setObjectName(QStringLiteral("schedule"));
    m_device->setObjectName(QStringLiteral("device"));
    for (QComboBox* c : {m_split, m_model, m_init, m_optimizer, m_schedule, m_device})
        connect(c, &QComboBox::currentIndexChanged, this, edited);
    for (QSpinBox* s :
         {m_splitK, m_factors, m_batchSize, m_epochs, m_stepSize, m_patience, m_minEpochs, m_seed, m_threads})
        connect(s, &QSpinBox::valueChanged, this, edited);
    for (QDoubleSpinBox* s :
         std::initializer_list<QDoubleSpinBox*>{m_splitFraction, m_embeddingDropout, m_yMin, m_yMax, m_initStd, m_lr,
                                                m_weightDecay, m_momentum, m_pctStart, m_maxLr, m_gamma})
        connect(s, &QDoubleSpinBox::valueChanged, this, edited);
    for (QCheckBox* c : {m_yRange, m_nesterov, m_restoreBest})
        connect(c, &QCheckBox::toggled, this, edited);
    for (QLineEdit* e : {m_hidden, m_dropouts})
        connect(e, &QLineEdit::textChanged, this, edited);
}

void ExperimentForm::setDataset(const DatasetSummary& summary) {
    m_predefined.clear();
    for (const auto& s : summary.predefinedSplits)
        m_predefined << QString::fromStdString(s);
    const QSignalBlocker block(m_split);
    m_split->clear();
    for (const QString& s : m_predefined)
        m_split->addItem(tr("Predefined %1 (%1.base / %1.test)").arg(s), s);
    m_split->addItem(tr("Random hold-out"), QStringLiteral("random"));
    m_split->addItem(tr("Leave k out per user"), QStringLiteral("leave"));
    m_split->addItem(tr("Last k per user (by time)"), QStringLiteral("temporal"));
    if (m_spec.split.kind == SplitSpec::Kind::Predefined &&
        !m_predefined.contains(QString::fromStdString(m_spec.split.name)))
        m_spec.split = m_predefined.isEmpty() ? SplitSpec{} : SplitSpec::parse(m_predefined.front().toStdString());
    toControls();
}

void ExperimentForm::setDevices(const QStringList& devices) {
    const QSignalBlocker block(m_device);
    m_device->clear();
    m_device->addItems(devices);
    toControls();
}

void ExperimentForm::setSpec(const TrainSpec& spec) {
    m_spec = spec;
    toControls();
    fromControls();
}

void ExperimentForm::toControls() {
    const auto children = findChildren<QWidget*>();
    std::vector<QSignalBlocker> blockers;
    blockers.reserve(static_cast<std::size_t>(children.size()));
    for (QWidget* w : children)
        blockers.emplace_back(w);
    const TrainSpec& s = m_spec;
    QString splitKey = QStringLiteral("random");
    if (s.split.kind == SplitSpec::Kind::Predefined)
        splitKey = QString::fromStdString(s.split.name);
    else if (s.split.kind == SplitSpec::Kind::LeaveK)
        splitKey = QStringLiteral("leave");
    else if (s.split.kind == SplitSpec::Kind::TemporalK)
        splitKey = QStringLiteral("temporal");
    m_split->setCurrentIndex(std::max(0, m_split->findData(splitKey)));
    m_splitFraction->setValue(s.split.validation);
    m_splitK->setValue(s.split.k);
    m_model->setCurrentIndex(m_model->findData(static_cast<int>(s.model.kind)));
    m_factors->setValue(s.model.factors);
    m_hidden->setText(joinNumbers(s.model.hidden));
    m_dropouts->setText(joinNumbers(s.model.dropouts));
    m_embeddingDropout->setValue(s.model.embeddingDropout);
    m_yRange->setChecked(s.model.useYRange);
    m_yMin->setValue(s.model.yMin);
    m_yMax->setValue(s.model.yMax);
    m_init->setCurrentIndex(m_init->findData(static_cast<int>(s.model.init)));
    m_initStd->setValue(s.model.initStd);
    m_optimizer->setCurrentIndex(m_optimizer->findData(static_cast<int>(s.optimizer.kind)));
    m_lr->setValue(s.optimizer.lr);
    m_weightDecay->setValue(s.optimizer.weightDecay);
    m_momentum->setValue(s.optimizer.momentum);
    m_nesterov->setChecked(s.optimizer.nesterov);
    m_batchSize->setValue(s.batchSize);
    m_epochs->setValue(s.epochs);
    m_schedule->setCurrentIndex(m_schedule->findData(static_cast<int>(s.schedule.kind)));
    m_pctStart->setValue(s.schedule.pctStart);
    m_maxLr->setValue(s.schedule.maxLr);
    m_stepSize->setValue(s.schedule.stepSize);
    m_gamma->setValue(s.schedule.gamma);
    m_patience->setValue(s.patience);
    m_minEpochs->setValue(s.minEpochs);
    m_restoreBest->setChecked(s.restoreBest);
    m_seed->setValue(static_cast<int>(std::min<uint64_t>(s.seed, std::numeric_limits<int>::max())));
    m_threads->setValue(s.threads);
    const int dev = m_device->findText(QString::fromStdString(s.device));
    m_device->setCurrentIndex(dev >= 0 ? dev : 0);
    updateVisibility();
}

void ExperimentForm::fromControls() {
    TrainSpec s = m_spec;
    QString problem;
    std::string field; // the setting the problem is about (SpecError::field), to mark its control
    const QString split = m_split->currentData().toString();
    const uint64_t splitSeed = s.split.seed;
    if (split == QLatin1String("random")) {
        s.split = SplitSpec{};
        s.split.validation = m_splitFraction->value();
    } else if (split == QLatin1String("leave") || split == QLatin1String("temporal")) {
        s.split = SplitSpec::parse(split.toStdString() + ":" + std::to_string(m_splitK->value()));
    } else if (!split.isEmpty()) {
        s.split = SplitSpec::parse(split.toStdString());
    }
    s.split.seed = splitSeed;

    const auto kind = static_cast<ModelKind>(m_model->currentData().toInt());
    if (kind != s.model.kind) {
        // A new architecture starts from its own sensible settings, as the CLI does.
        s.model = ModelSpec::defaultsFor(kind);
        m_spec = s;
        toControls();
    } else {
        s.model.factors = m_factors->value();
        if (!parseList(m_hidden->text(), s.model.hidden)) {
            problem = tr("Hidden layers: enter whole numbers separated by commas, e.g. 500,500");
            field = "hidden";
        }
        if (!parseList(m_dropouts->text(), s.model.dropouts) && problem.isEmpty()) {
            problem = tr("Dropouts: enter numbers separated by commas, e.g. 0.5,0.25");
            field = "dropout";
        }
        s.model.embeddingDropout = m_embeddingDropout->value();
        s.model.useYRange = m_yRange->isChecked();
        s.model.yMin = m_yMin->value();
        s.model.yMax = m_yMax->value();
        s.model.init = static_cast<InitKind>(m_init->currentData().toInt());
        s.model.initStd = m_initStd->value();
    }
    const auto opt = static_cast<OptimizerKind>(m_optimizer->currentData().toInt());
    if (opt != s.optimizer.kind) {
        s.optimizer = OptimizerSpec::defaultsFor(opt);
        m_spec = s;
        toControls();
    } else {
        s.optimizer.lr = m_lr->value();
        s.optimizer.weightDecay = m_weightDecay->value();
        s.optimizer.momentum = m_momentum->value();
        s.optimizer.nesterov = m_nesterov->isChecked();
    }
    s.batchSize = m_batchSize->value();
    s.epochs = m_epochs->value();
    s.schedule.kind = static_cast<ScheduleKind>(m_schedule->currentData().toInt());
    s.schedule.pctStart = m_pctStart->value();
    s.schedule.maxLr = m_maxLr->value();
    s.schedule.stepSize = m_stepSize->value();
    s.schedule.gamma = m_gamma->value();
    s.patience = m_patience->value();
    s.minEpochs = m_minEpochs->value();
    s.restoreBest = m_restoreBest->isChecked();
    s.seed = static_cast<uint64_t>(m_seed->value());
    s.threads = m_threads->value();
    s.device = m_device->currentText().toStdString();

    if (problem.isEmpty()) {
        try {
            s.validate();
        } catch (const SpecError& e) {
            problem = QString::fromStdString(e.what());
            field = e.field();
        }
    }
    m_spec = s;
    updateVisibility();
    for (const auto& [name, control] : m_controls)
        control->setStyleSheet(name == field ? QStringLiteral("border: 1px solid #c62828;") : QString());
    const bool changedValidity = problem != m_message;
    m_message = problem;
    m_messageLabel->setText(problem);
    m_messageLabel->setVisible(!problem.isEmpty());
    Q_EMIT changed(m_spec);
    if (changedValidity)
        Q_EMIT validityChanged(problem.isEmpty(), problem);
}

void ExperimentForm::setRow(QWidget* field, bool visible) {
    for (QWidget* w = field->parentWidget(); w; w = w->parentWidget())
        if (auto* form = qobject_cast<QFormLayout*>(w->layout())) {
            QWidget* row = field;
            while (row->parentWidget() != w)
                row = row->parentWidget();
            form->setRowVisible(row, visible);
            return;
        }
}

void ExperimentForm::updateVisibility() {
    const QString split = m_split->currentData().toString();
    setRow(m_splitFraction, split == QLatin1String("random"));
    setRow(m_splitK, split == QLatin1String("leave") || split == QLatin1String("temporal"));
    const bool deep = m_spec.model.hasHiddenLayers();
    setRow(m_hidden, deep);
    setRow(m_dropouts, deep);
    setRow(m_embeddingDropout, deep);
    m_yMin->setEnabled(m_yRange->isChecked());
    m_yMax->setEnabled(m_yRange->isChecked());
    setRow(m_initStd, m_spec.model.init == InitKind::Normal || m_spec.model.init == InitKind::TruncNormal);
    const auto opt = m_spec.optimizer.kind;
    setRow(m_momentum, opt == OptimizerKind::Sgd || opt == OptimizerKind::RmsProp);
    setRow(m_nesterov, opt == OptimizerKind::Sgd);
    const auto sch = m_spec.schedule.kind;
    const bool cyclic =
        sch == ScheduleKind::Triangular || sch == ScheduleKind::Triangular2 || sch == ScheduleKind::ExpRange;
    setRow(m_pctStart, sch == ScheduleKind::OneCycle);
    setRow(m_maxLr, cyclic);
    setRow(m_stepSize, cyclic || sch == ScheduleKind::Step);
    setRow(m_gamma, sch == ScheduleKind::Step || sch == ScheduleKind::ExpRange);
    setRow(m_minEpochs, m_spec.patience > 0);
}

} // namespace factorscope::ui
