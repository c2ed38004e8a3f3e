#pragma once
// What the model learned: movies projected with PCA on a map, the movies at each end of a
// component, a movie's neighbours, a user's recommendations and why a rating was predicted.
// The map re-projects after every epoch, aligned to the last projection so it morphs.
#include "core/analysis/CoRatings.h"
#include "core/analysis/DataViews.h"
#include "core/analysis/Pca.h"
#include "core/analysis/Recommend.h"
#include "core/data/Dataset.h"
#include "core/model/Model.h"
#include "ui/session/ProjectionJob.h"
#include "ui/session/RatedAlikeJob.h"
#include "ui/session/TsneJob.h"
#include "ui/views/MapColours.h"
#include "ui/views/MapWidget.h"

#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;
class QTableWidget;

namespace factorscope::ui {

class BarChart;
class DataViewsPanel;
class YouPage;

class ExplorerView : public QWidget {
    Q_OBJECT
public:
    explicit ExplorerView(QWidget* parent = nullptr);

    // The data set and what the views show of it (made where it loaded; made here when null).
    void setData(std::shared_ptr<const Dataset> data, std::shared_ptr<const DataDigest> digest = nullptr);
    // New item embeddings (each epoch, or a finished model). Re-projects and aligns on a
    // worker thread; the map follows when it is done (isProjecting() until then).
    void updateEmbeddings(std::shared_ptr<const Matrix> itemFactors);
    bool isProjecting() const { return m_projector->isBusy(); }
    // While the movies rated most alike (the neighbours page) are being found on a worker.
    bool isFindingRatedAlike() const { return m_alike->isBusy(); }
    // The model for recommendations and explanations; null while it trains.
    void setModel(std::shared_ptr<const Model> model);
    void selectMovie(int32_t item);
    // Selects the first movie (by index) whose title contains `text`, ignoring case; false if none.
    bool selectMovieTitled(const QString& text);
    void selectUser(int32_t user);

    // For the documentation screenshots and tests.
    MapWidget* map() const { return m_map; }
    BarChart* componentChart() const { return m_components; }
    BarChart* explanationChart() const { return m_explain; }
    QTableWidget* neighbourTable() const { return m_neighbours; }
    QTableWidget* recommendationTable() const { return m_recommended; }
    DataViewsPanel* dataViews() const { return m_dataViews; }
    YouPage* youPage() const { return m_you; }
    double genreSeparability() const { return m_separability; }
    void showPage(int page); // 0 components, 1 neighbours, 2 recommendations, 3 data, 4 you
    using Colour = MapColour;
    void setColour(Colour c);
    void setUsersShown(bool on);
    // Movies on the map: the 1,000 most rated (default) or all of them.
    void setAllMoviesShown(bool on);
    // The map's layout: the principal components (default) or t-SNE, which runs on a worker
    // and animates as it optimises (isLayingOut() until it settles).
    void setTsneLayout(bool on);
    bool isLayingOut() const { return m_tsne->isBusy(); }
    // Custom axes: x from the movies whose titles contain xFrom (their mean) to those matching
    // xTo; y likewise, made perpendicular to x, or with no texts the most variance x leaves.
    // Switches the layout to them; false with the reason in the status when they cannot be made.
    bool setCustomAxes(const QString& xFrom, const QString& xTo, const QString& yFrom = {}, const QString& yTo = {});
    bool axesShown() const;
    const std::optional<Projection>& customProjection() const { return m_axes; }
    // The movies on the map as they are laid out now (PCA or t-SNE), as CSV id,title,x,y;
    // false with the reason when the map is empty or the file cannot be written.
    bool exportMapCsv(const QString& path, QString* error) const;
    TsneJob* tsneJob() const { return m_tsne; }

private:
    static constexpr int kComponents = 5; // the principal components the explorer offers
    // The widgets and their connections (ExplorerViewWidgets.cpp).
    QWidget* buildMapPane();
    QWidget* buildComponentsPage();
    QWidget* buildNeighboursPage();
    QWidget* buildRecommendPage();
    void connectControls();
    void applyProjection(const ProjectionResult& result);
    // The t-SNE layout (ExplorerMapLayout.cpp).
    bool tsneShown() const;
    void layoutChanged();
    void requestTsne();
    void applyTsneFrame(const TsneFrame& frame);
    void showTsneMap();
    void applyAxes(); // from the axis boxes, over the movies the map shows
    std::vector<int32_t> titleMatches(const QString& text) const;
    MapWidget::Point moviePoint(int32_t item, QPointF pos) const;
    void refreshMap();
    void recolour(); // the groups of the chosen colouring, from the data and the model
    void refreshComponents();
    void refreshNeighbours();
    void applyRatedAlike(const RatedAlikeResult& result);
    void refreshUser();
    void refreshExplanation();
    void addVotes(const Explanation& e, QStringList& cats, QVector<double>& values) const;
    QString titleOf(int32_t item) const;

    ProjectionJob* m_projector;
    int m_generation = 0; // advanced by setData: projections of an earlier data set are dropped
    std::shared_ptr<const Dataset> m_data;
    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const Matrix> m_factors; // shared with the projection worker, never copied
    TsneJob* m_tsne;
    int m_tsneGeneration = 0;             // of the newest t-SNE request: earlier frames are dropped
    std::optional<TsneFrame> m_tsneFrame; // the newest frame shown
    RatedAlikeJob* m_alike;
    int m_alikeGeneration = 0;        // of the newest request: earlier results are dropped
    std::vector<int32_t> m_nearItems; // the embedding neighbours listed, row by row (none for kNN)
    bool m_alikeFillsTable = false;   // kNN: the movies rated alike are the list, not a column of it
    std::optional<Projection> m_projection;
    std::optional<Projection> m_axes;           // the custom axes' projection of the shown movies, when valid
    QString m_axesNote;                         // what the custom axes are, for the status
    QStringList m_axesTitles;                   // the map's axis titles under custom axes
    std::shared_ptr<const DataDigest> m_digest; // per-movie facts, the user index
    ColourGroups m_groups;                      // of the chosen colouring
    Colour m_colour = Colour::Genre;
    bool m_showUsers = false;
    Matrix m_userFactors;           // copied out of the model only while users are shown
    std::vector<float> m_youVector; // your vector from the You page, drawn as a marker; empty: none
    double m_separability = 0;
    int32_t m_selected = -1;

    MapWidget* m_map;
    QComboBox* m_xAxis;
    QComboBox* m_yAxis;
    QComboBox* m_colourBy;
    QComboBox* m_layout;
    QDoubleSpinBox* m_perplexity;
    QWidget* m_axesRow;
    QLineEdit* m_axisEnds[4]; // x from, x to, y from, y to
    QComboBox* m_shown;
    QCheckBox* m_users;
    QLineEdit* m_search;
    QLabel* m_status;
    QTabWidget* m_pages;
    YouPage* m_you;
    BarChart* m_components;
    QComboBox* m_component;
    QComboBox* m_end;
    QTableWidget* m_neighbours;
    QLabel* m_neighbourTitle;
    QComboBox* m_metric;
    QSpinBox* m_user;
    QTableWidget* m_rated;
    QTableWidget* m_recommended;
    BarChart* m_explain;
    DataViewsPanel* m_dataViews;
    QLabel* m_explainTitle;
};

} // namespace factorscope::ui
