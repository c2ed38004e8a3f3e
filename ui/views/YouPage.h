#pragma once
// The explorer's "You" page: rate movies yourself and the model folds you in as a new user
// (core/model/FoldIn.h: the movies stay as trained, your vector and bias are fitted), then
// shows your top 10, each with the movie you rated that it is most like. Your ratings can be
// saved as a user,item,rating CSV (which factorscope-cli fold-in reads) and imported again, or
// kept in a file of your own beside the data set, which the next load includes on request.
#include "core/data/Dataset.h"
#include "core/model/Model.h"

#include <QVector>
#include <QWidget>

#include <map>
#include <memory>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace factorscope::ui {

class YouPage : public QWidget {
    Q_OBJECT
public:
    explicit YouPage(QWidget* parent = nullptr);

    void setData(std::shared_ptr<const Dataset> data); // forgets your ratings: they are by its items
    void setModel(std::shared_ptr<const Model> model); // null while a model trains

    // Rates the first movie whose title contains `title` (ignoring case); false, with the
    // reason on the page, when none matches or the stars are outside the data set's scale.
    bool rate(const QString& title, double stars);
    bool rateItem(int32_t item, double stars);
    void forget(int32_t item);
    // user,item,rating with original ids; the user id is one the data set does not have.
    bool saveRatings(const QString& path, QString* error) const;
    // Replaces your ratings with a file's (its first user's rows); false with the reason.
    bool importRatings(const QString& path, QString* error);
    // Where Keep writes (Workbench::ownRatingsPath of the data set); Keep is off while empty.
    void setKeepPath(const QString& path);
    bool keep(); // saves your ratings there; false with the reason on the page

    const std::map<int32_t, float>& ratings() const { return m_ratings; }
    QTableWidget* topTable() const { return m_top; }
    QString statusText() const;
    double lastFoldMs() const { return m_lastFoldMs; }

Q_SIGNALS:
    // Your fitted user vector after each fold-in (empty when there is none): the map marks it.
    void placed(const QVector<float>& vector);

private:
    void refresh();
    void refreshRated();
    QString titleOf(int32_t item) const;
    int64_t newUserId() const;

    std::shared_ptr<const Dataset> m_data;
    std::shared_ptr<const Model> m_model;
    Matrix m_itemFactors;               // the model's, copied once: "closest of yours" reads them per row
    std::map<int32_t, float> m_ratings; // item index -> stars
    double m_lastFoldMs = 0;

    QLineEdit* m_title;
    QDoubleSpinBox* m_stars;
    QTableWidget* m_rated;
    QTableWidget* m_top;
    QLabel* m_status;
    QPushButton* m_keep;
    QString m_keepPath;
};

} // namespace factorscope::ui
