#pragma once
// The experiment panel: one form over one TrainSpec. Its rows are the spec's field table (one
// control per field, named as the field, advanced ones folded away); it keeps a local copy,
// edits it a field at a time, validates inline, and hands the whole spec over (LabPlot's way).
#include "core/data/Dataset.h"
#include "core/train/SpecFields.h"
#include "ui/session/MetaTypes.h"

#include <QWidget>

#include <map>
#include <string>
#include <utility>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QSpinBox;
class QVBoxLayout;

namespace factorscope::ui {

class ExperimentForm : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentForm(QWidget* parent = nullptr);

    void setSpec(const TrainSpec& spec);
    const TrainSpec& spec() const { return m_spec; }
    // Offers the data set's predefined splits (ua, u1...).
    void setDataset(const DatasetSummary& summary);
    void setDevices(const QStringList& devices);
    bool isValid() const { return m_message.isEmpty(); }
    QString validationMessage() const { return m_message; }

Q_SIGNALS:
    void changed(const factorscope::TrainSpec& spec);
    void validityChanged(bool valid, const QString& message);

private:
    void build();
    void buildSplitRows(QFormLayout* form);
    void buildFieldRows(QFormLayout* form, FieldGroup group);
    std::vector<std::pair<FieldGroup, QGroupBox*>> m_groupBoxes;
    void connectControl(const SpecField& field, QWidget* control);
    void toControls(const SpecField* except = nullptr);
    void splitEdited();
    void fieldEdited(const SpecField& field);
    void revalidate();
    void updateVisibility();
    QString messageOf(const std::string& field, const std::string& detail) const;

    TrainSpec m_spec;
    QString m_message;
    std::map<std::string, QWidget*> m_controls; // by field name (SpecError::field())
    std::map<std::string, QString> m_unparsed;  // fields whose text does not parse yet, and why
    QStringList m_predefined;

    QComboBox* m_split = nullptr;
    QDoubleSpinBox* m_splitFraction = nullptr;
    QSpinBox* m_splitK = nullptr;
    QCheckBox* m_advanced = nullptr;
    QLabel* m_messageLabel = nullptr;
};

} // namespace factorscope::ui
