#include "ui/forms/ExperimentForm.h"

#include "core/common/Error.h"
#include "ui/forms/FieldControls.h"

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

#include <set>

namespace factorscope::ui {

namespace {

template <class W> W* tip(W* w, const QString& text) {
    w->setToolTip(text);
    w->setWhatsThis(text);
    return w;
}

// Hides or shows the form row that holds `field`.
void setRowVisible(QWidget* field, bool visible) {
    for (QWidget* w = field->parentWidget(); w; w = w->parentWidget())
        if (auto* form = qobject_cast<QFormLayout*>(w->layout())) {
            QWidget* row = field;
            while (row->parentWidget() != w)
                row = row->parentWidget();
            form->setRowVisible(row, visible);
            return;
        }
}

} // namespace

ExperimentForm::ExperimentForm(QWidget* parent) : QWidget(parent) {
    m_spec = TrainSpec::defaults();
    build();
    toControls();
}

void ExperimentForm::build() {
    auto* layout = new QVBoxLayout(this);
    m_advanced = tip(new QCheckBox(tr("Show advanced settings")),
                     tr("Also show the settings most runs leave alone: optimiser and schedule details, the "
                        "split's seed, threads and the training engine."));
    m_advanced->setObjectName(QStringLiteral("advanced"));
    connect(m_advanced, &QCheckBox::toggled, this, [this] { updateVisibility(); });
    layout->addWidget(m_advanced);
    for (auto group :
         {FieldGroup::Data, FieldGroup::Model, FieldGroup::Optimiser, FieldGroup::Schedule, FieldGroup::Training}) {
        auto* box = new QGroupBox(QString::fromStdString(toString(group)));
        auto* form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        if (group == FieldGroup::Data)
            buildSplitRows(form);
        buildFieldRows(form, group);
        layout->addWidget(box);
        m_groupBoxes.emplace_back(group, box);
    }
    m_messageLabel = new QLabel;
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setStyleSheet(QStringLiteral("color: #c62828; font-weight: bold;"));
    m_messageLabel->setVisible(false);
    layout->addWidget(m_messageLabel);
    layout->addStretch(1);
    setDataset(DatasetSummary{});
    setDevices({QStringLiteral("cpu")});
}

// The split is one field ("ua", "random:0.2", "leave:5") that the form shows as a kind and its
// parameter.
void ExperimentForm::buildSplitRows(QFormLayout* form) {
    const SpecField* field = findSpecField("split");
    m_split = tip(new QComboBox, QString::fromUtf8(field->help));
    m_split->setObjectName(QStringLiteral("split"));
    m_splitFraction = tip(new QDoubleSpinBox, tr("The share of ratings held out for validation."));
    m_splitFraction->setRange(0.01, 0.9);
    m_splitFraction->setSingleStep(0.05);
    m_splitK = tip(new QSpinBox, tr("How many ratings of each user are held out."));
    m_splitK->setRange(1, 1000);
    form->addRow(tr("Split:"), m_split);
    form->addRow(tr("Validation share:"), m_splitFraction);
    form->addRow(tr("Held out per user:"), m_splitK);
    m_controls["split"] = m_split;
    connect(m_split, &QComboBox::currentIndexChanged, this, [this] { splitEdited(); });
    connect(m_splitFraction, &QDoubleSpinBox::valueChanged, this, [this] { splitEdited(); });
    connect(m_splitK, &QSpinBox::valueChanged, this, [this] { splitEdited(); });
}

void ExperimentForm::buildFieldRows(QFormLayout* form, FieldGroup group) {
    for (const auto& field : specFields()) {
        if (field.group != group || m_controls.count(field.name))
            continue;
        QWidget* control = makeFieldControl(field);
        if (field.type == FieldType::Flag)
            form->addRow(QString(), control);
        else
            form->addRow(QString::fromUtf8(field.label) + QLatin1Char(':'), control);
        m_controls[field.name] = control;
        connectControl(field, control);
    }
}

void ExperimentForm::connectControl(const SpecField& field, QWidget* control) {
    auto edited = [this, &field] { fieldEdited(field); };
    if (auto* box = qobject_cast<QCheckBox*>(control))
        connect(box, &QCheckBox::toggled, this, edited);
    else if (auto* spin = qobject_cast<QSpinBox*>(control))
        connect(spin, &QSpinBox::valueChanged, this, edited);
    else if (auto* real = qobject_cast<QDoubleSpinBox*>(control))
        connect(real, &QDoubleSpinBox::valueChanged, this, edited);
    else if (auto* combo = qobject_cast<QComboBox*>(control))
        connect(combo, &QComboBox::currentIndexChanged, this, edited);
    else if (auto* edit = qobject_cast<QLineEdit*>(control))
        connect(edit, &QLineEdit::textChanged, this, edited);
    else { // an on/off range
        connect(control->findChild<QCheckBox*>(), &QCheckBox::toggled, this, edited);
        for (auto* end : control->findChildren<QDoubleSpinBox*>())
            connect(end, &QDoubleSpinBox::valueChanged, this, edited);
    }
}

void ExperimentForm::setDataset(const DatasetSummary& summary) {
    m_predefined.clear();
    for (const auto& s : summary.predefinedSplits)
        m_predefined << QString::fromStdString(s);
    {
        const QSignalBlocker block(m_split);
        m_split->clear();
        for (const QString& s : m_predefined)
            m_split->addItem(tr("Predefined %1 (%1.base / %1.test)").arg(s), s);
        m_split->addItem(tr("Random hold-out"), QStringLiteral("random"));
        m_split->addItem(tr("A share of each user's ratings"), QStringLiteral("user-ratio"));
        m_split->addItem(tr("Leave k out per user"), QStringLiteral("leave"));
        m_split->addItem(tr("Last k per user (by time)"), QStringLiteral("temporal"));
    }
    if (m_spec.split.kind == SplitSpec::Kind::Predefined &&
        !m_predefined.contains(QString::fromStdString(m_spec.split.name))) {
        const uint64_t seed = m_spec.split.seed;
        m_spec.split = m_predefined.isEmpty() ? SplitSpec{} : SplitSpec::parse(m_predefined.front().toStdString());
        m_spec.split.seed = seed;
    }
    toControls();
}

void ExperimentForm::setDevices(const QStringList& devices) {
    auto* device = qobject_cast<QComboBox*>(m_controls.at("device"));
    {
        const QSignalBlocker block(device);
        device->clear();
        device->addItems(devices);
    }
    toControls();
}

void ExperimentForm::setSpec(const TrainSpec& spec) {
    m_spec = spec;
    m_unparsed.clear();
    toControls();
    revalidate();
}

// Shows the spec in every control but `except` (the one being edited keeps what the person
// typed) and those whose text does not parse yet.
void ExperimentForm::toControls(const SpecField* except) {
    const auto children = findChildren<QWidget*>();
    std::vector<QSignalBlocker> blockers;
    blockers.reserve(static_cast<std::size_t>(children.size()));
    for (QWidget* w : children)
        blockers.emplace_back(w);
    const SplitSpec& split = m_spec.split;
    QString splitKey = QStringLiteral("random");
    if (split.kind == SplitSpec::Kind::Predefined)
        splitKey = QString::fromStdString(split.name);
    else if (split.kind == SplitSpec::Kind::LeaveK)
        splitKey = QStringLiteral("leave");
    else if (split.kind == SplitSpec::Kind::TemporalK)
        splitKey = QStringLiteral("temporal");
    else if (split.kind == SplitSpec::Kind::UserRatio)
        splitKey = QStringLiteral("user-ratio");
    m_split->setCurrentIndex(std::max(0, m_split->findData(splitKey)));
    m_splitFraction->setValue(split.validation);
    m_splitK->setValue(split.k);
    for (const auto& field : specFields())
        if (&field != except && !m_unparsed.count(field.name) && field.name != std::string("split"))
            writeFieldControl(m_controls.at(field.name), field, field.get(m_spec));
    updateVisibility();
}

void ExperimentForm::splitEdited() {
    const QString split = m_split->currentData().toString();
    const uint64_t seed = m_spec.split.seed;
    if (split == QLatin1String("random")) {
        m_spec.split = SplitSpec{};
        m_spec.split.validation = m_splitFraction->value();
    } else if (split == QLatin1String("user-ratio")) {
        m_spec.split = SplitSpec::parse("user-ratio:" + std::to_string(m_splitFraction->value()));
    } else if (split == QLatin1String("leave") || split == QLatin1String("temporal")) {
        m_spec.split = SplitSpec::parse(split.toStdString() + ":" + std::to_string(m_splitK->value()));
    } else if (!split.isEmpty()) {
        m_spec.split = SplitSpec::parse(split.toStdString());
    }
    m_spec.split.seed = seed;
    updateVisibility();
    revalidate();
}

// One control changed: that field is set (a new model or optimiser resets its part, which the
// other controls then show), and the whole spec is checked again.
void ExperimentForm::fieldEdited(const SpecField& field) {
    try {
        field.set(m_spec, readFieldControl(m_controls.at(field.name), field));
        m_unparsed.erase(field.name);
    } catch (const SpecError& e) {
        m_unparsed[field.name] = messageOf(field.name, e.what());
    }
    toControls(&field);
    revalidate();
}

QString ExperimentForm::messageOf(const std::string& field, const std::string& what) const {
    const SpecField* f = findSpecField(field);
    const std::string prefix = field + ": ";
    if (!f || what.rfind(prefix, 0) != 0)
        return QString::fromStdString(what);
    return QString::fromUtf8(f->label) + QStringLiteral(": ") + QString::fromStdString(what.substr(prefix.size()));
}

void ExperimentForm::revalidate() {
    QString problem;
    std::string field; // the setting the problem is about, to mark its control
    if (!m_unparsed.empty()) {
        field = m_unparsed.begin()->first;
        problem = m_unparsed.begin()->second;
    } else {
        try {
            m_spec.validate();
        } catch (const SpecError& e) {
            problem = messageOf(e.field(), e.what());
            field = e.field();
        }
    }
    const SpecField* marked = findSpecField(field);
    if (marked && marked->advanced && !m_advanced->isChecked())
        m_advanced->setChecked(true); // a setting in error is never folded away
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

// A row shows when its setting applies to the spec as it stands (hidden layers for mlp and
// neumf, momentum for SGD and RMSprop) and, for an advanced one, when advanced settings show.
void ExperimentForm::updateVisibility() {
    const QString split = m_split->currentData().toString();
    setRowVisible(m_splitFraction, split == QLatin1String("random") || split == QLatin1String("user-ratio"));
    setRowVisible(m_splitK, split == QLatin1String("leave") || split == QLatin1String("temporal"));
    const bool advanced = m_advanced->isChecked();
    std::set<FieldGroup> shown{FieldGroup::Data};
    for (const auto& field : specFields())
        if (field.name != std::string("split")) {
            const bool visible = field.applies(m_spec) && (advanced || !field.advanced);
            setRowVisible(m_controls.at(field.name), visible);
            if (visible)
                shown.insert(field.group);
        }
    for (auto [group, box] : m_groupBoxes) // a group with no row that applies (a closed form's optimiser)
        box->setVisible(shown.count(group) > 0);
}

} // namespace factorscope::ui
