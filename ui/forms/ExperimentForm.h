#pragma once
// The experiment panel: one form over one TrainSpec. It keeps a local copy, edits it from its
// controls, validates every field inline, and hands the whole spec over (LabPlot's way).
#include "core/data/Dataset.h"
#include "core/train/TrainSpec.h"
#include "ui/session/MetaTypes.h"

#include <QWidget>

#include <map>
#include <string>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;
class QVBoxLayout;

namespace factorscope::ui {

class ScientificSpinBox;

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
    void buildDataGroup(QVBoxLayout* layout);
    void buildModelGroup(QVBoxLayout* layout);
    void buildOptimiserGroup(QVBoxLayout* layout);
    void buildScheduleGroup(QVBoxLayout* layout);
    void buildStoppingGroup(QVBoxLayout* layout);
    void connectFields();
    void toControls();
    void fromControls();
    void updateVisibility();
    void setRow(QWidget* field, bool visible);

    TrainSpec m_spec;
    QString m_message;
    std::map<std::string, QWidget*> m_controls; // by SpecError::field()
    QStringList m_predefined;

    QFormLayout* m_form = nullptr;
    QComboBox* m_split = nullptr;
    QDoubleSpinBox* m_splitFraction = nullptr;
    QSpinBox* m_splitK = nullptr;
    QComboBox* m_model = nullptr;
    QSpinBox* m_factors = nullptr;
    QLineEdit* m_hidden = nullptr;
    QLineEdit* m_dropouts = nullptr;
    QDoubleSpinBox* m_embeddingDropout = nullptr;
    QCheckBox* m_yRange = nullptr;
    QDoubleSpinBox* m_yMin = nullptr;
    QDoubleSpinBox* m_yMax = nullptr;
    QComboBox* m_init = nullptr;
    ScientificSpinBox* m_initStd = nullptr;
    QComboBox* m_optimizer = nullptr;
    ScientificSpinBox* m_lr = nullptr;
    ScientificSpinBox* m_weightDecay = nullptr;
    QDoubleSpinBox* m_momentum = nullptr;
    QCheckBox* m_nesterov = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QSpinBox* m_epochs = nullptr;
    QComboBox* m_schedule = nullptr;
    QDoubleSpinBox* m_pctStart = nullptr;
    ScientificSpinBox* m_maxLr = nullptr;
    QSpinBox* m_stepSize = nullptr;
    QDoubleSpinBox* m_gamma = nullptr;
    QSpinBox* m_patience = nullptr;
    QSpinBox* m_minEpochs = nullptr;
    QCheckBox* m_restoreBest = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_threads = nullptr;
    QComboBox* m_device = nullptr;
    QLabel* m_messageLabel = nullptr;
};

} // namespace factorscope::ui
