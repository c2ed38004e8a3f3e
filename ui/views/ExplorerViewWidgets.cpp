// ExplorerView's widgets: the map with its controls on the left, the pages on the right, and
// the connections between them. (The view's behaviour is in ExplorerView.cpp.)
#include "ui/views/ExplorerView.h"
#include "ui/views/ListTable.h"

#include "ui/charts/BarChart.h"
#include "ui/views/DataViewsPanel.h"
#include "ui/views/MapWidget.h"
#include "ui/views/YouPage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace factorscope::ui {

QTableWidget* listTable(const QStringList& headers) {
    auto* t = new QTableWidget(0, headers.size());
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->setVisible(false);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < headers.size(); ++c)
        t->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    return t;
}

ExplorerView::ExplorerView(QWidget* parent)
    : QWidget(parent), m_projector(new ProjectionJob(this)), m_tsne(new TsneJob(this)),
      m_alike(new RatedAlikeJob(this)) {
    connect(m_projector, &ProjectionJob::ready, this, &ExplorerView::applyProjection);
    connect(m_tsne, &TsneJob::frame, this, &ExplorerView::applyTsneFrame);
    connect(m_alike, &RatedAlikeJob::ready, this, &ExplorerView::applyRatedAlike);
    QWidget* mapPane = buildMapPane(); // first: the keyboard's tab order follows creation
    m_pages = new QTabWidget;
    m_pages->addTab(buildComponentsPage(), tr("Components"));
    m_pages->addTab(buildNeighboursPage(), tr("Neighbours"));
    m_pages->addTab(buildRecommendPage(), tr("Recommend"));
    m_pages->setTabToolTip(2, tr("A user's recommendations, and why each rating is predicted"));
    m_dataViews = new DataViewsPanel;
    m_pages->addTab(m_dataViews, tr("Data"));
    m_you = new YouPage;
    connect(m_you, &YouPage::placed, this, [this](const QVector<float>& v) {
        m_youVector.assign(v.begin(), v.end());
        refreshMap();
    });
    m_pages->addTab(m_you, tr("You"));
    m_pages->setTabToolTip(4, tr("Rate movies yourself and see your own recommendations"));

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(mapPane);
    split->addWidget(m_pages);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    connectControls();
}

QWidget* ExplorerView::buildMapPane() {
    m_map = new MapWidget;
    m_map->setObjectName(QStringLiteral("explorerMap"));
    m_xAxis = new QComboBox;
    m_yAxis = new QComboBox;
    for (int c = 1; c <= kComponents; ++c) {
        m_xAxis->addItem(tr("PC%1").arg(c), c - 1);
        m_yAxis->addItem(tr("PC%1").arg(c), c - 1);
    }
    m_yAxis->setCurrentIndex(1);
    m_shown = new QComboBox;
    m_shown->addItems({tr("1,000 most rated"), tr("all movies")});
    m_shown->setToolTip(
        tr("The components are always fitted on the 1,000 most-rated movies; show those or every movie"));
    m_colourBy = new QComboBox;
    m_colourBy->addItems(
        {tr("Genre"), tr("Popularity"), tr("Mean rating"), tr("Year"), tr("Movie bias"), tr("Embedding norm")});
    m_colourBy->setToolTip(tr("What the colours show. Movie bias and embedding norm are what the model learned: a "
                              "long embedding pulls a movie's dot products, and so its rank, up for everyone."));
    m_layout = new QComboBox;
    m_layout->addItems({tr("PCA"), tr("t-SNE"), tr("Custom axes")});
    m_layout->setToolTip(tr("Principal components keep the directions of largest spread; t-SNE keeps each movie "
                            "near its nearest neighbours in the embedding, at the cost of distances; custom axes "
                            "run from movies you name to others."));
    m_axesRow = new QWidget;
    auto* axesLayout = new QHBoxLayout(m_axesRow);
    axesLayout->setContentsMargins(0, 0, 0, 0);
    const QStringList hints{tr("x from: a title"), tr("x to: a title"), tr("y from (optional)"), tr("y to")};
    for (int k = 0; k < 4; ++k) {
        m_axisEnds[k] = new QLineEdit;
        m_axisEnds[k]->setPlaceholderText(hints[k]);
        m_axisEnds[k]->setToolTip(tr("Part of a title: the axis end is the mean embedding of every movie whose "
                                     "title contains it (ignoring case). Enter applies."));
        connect(m_axisEnds[k], &QLineEdit::returnPressed, this, [this] { applyAxes(); });
        if (k == 2)
            axesLayout->addSpacing(12);
        axesLayout->addWidget(m_axisEnds[k]);
    }
    m_axesRow->setVisible(false);
    m_perplexity = new QDoubleSpinBox;
    m_perplexity->setObjectName(QStringLiteral("perplexity"));
    m_perplexity->setRange(2, 100);
    m_perplexity->setDecimals(0);
    m_perplexity->setValue(30);
    m_perplexity->setPrefix(tr("perplexity "));
    m_perplexity->setEnabled(false);
    m_perplexity->setToolTip(tr("t-SNE: about how many neighbours each movie attends to; small values show fine "
                                "local groups, large ones the broader structure."));
    m_users = new QCheckBox(tr("Users"));
    m_users->setToolTip(tr("Show users in the same space, as grey squares: a user sits near the movies they "
                           "are predicted to like. Click one to see their recommendations."));
    m_search = new QLineEdit;
    m_search->setPlaceholderText(tr("Find a movie… (Enter selects the first match)"));
    m_search->setClearButtonEnabled(true);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("explorerStatus"));
    m_status->setWordWrap(true);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("x:")));
    controls->addWidget(m_xAxis);
    controls->addWidget(new QLabel(tr("y:")));
    controls->addWidget(m_yAxis);
    controls->addWidget(new QLabel(tr("colour:")));
    controls->addWidget(m_colourBy);
    controls->addWidget(m_users);
    controls->addWidget(m_shown);
    controls->addStretch(1);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* searchRow = new QHBoxLayout; // the layout's settings here: the row above is full
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(new QLabel(tr("layout:")));
    searchRow->addWidget(m_layout);
    searchRow->addWidget(m_perplexity);
    leftLayout->addLayout(controls);
    leftLayout->addLayout(searchRow);
    leftLayout->addWidget(m_axesRow);
    leftLayout->addWidget(m_map, 1);
    leftLayout->addWidget(m_status);
    return left;
}

QWidget* ExplorerView::buildComponentsPage() {
    auto* compPage = new QWidget;
    auto* compLayout = new QVBoxLayout(compPage);
    m_component = new QComboBox;
    for (int c = 1; c <= kComponents; ++c)
        m_component->addItem(tr("PC%1").arg(c), c - 1);
    m_end = new QComboBox;
    m_end->addItems({tr("highest"), tr("lowest")});
    auto* compControls = new QHBoxLayout;
    compControls->addWidget(new QLabel(tr("The 12 movies with the")));
    compControls->addWidget(m_end);
    compControls->addWidget(new QLabel(tr("values of")));
    compControls->addWidget(m_component);
    compControls->addStretch(1);
    m_components =
        new BarChart(tr("Movies at one end of a component"), QString(), tr("Component value"), nullptr, Qt::Horizontal);
    m_components->setValueFormat(QStringLiteral("%.2f"));
    for (int c = 0; c < kComponents; ++c)
        m_components->addSet(tr("PC%1").arg(c + 1), MapWidget::groupColour(c));
    compLayout->addLayout(compControls);
    compLayout->addWidget(m_components, 1);
    return compPage;
}

QWidget* ExplorerView::buildNeighboursPage() {
    auto* nbPage = new QWidget;
    auto* nbLayout = new QVBoxLayout(nbPage);
    m_neighbourTitle = new QLabel(tr("Click a movie on the map."));
    m_neighbourTitle->setWordWrap(true);
    m_neighbours = listTable({tr("Nearest movies"), tr("Similarity"), tr("Rated alike")});
    m_neighbours->setObjectName(QStringLiteral("neighboursTable"));
    m_metric = new QComboBox;
    m_metric->addItems({tr("cosine similarity"), tr("Euclidean distance")});
    m_metric->setToolTip(tr("Cosine compares directions (taste); Euclidean also counts how strong the vectors are"));
    auto* metricRow = new QHBoxLayout;
    metricRow->addWidget(new QLabel(tr("Nearest by")));
    metricRow->addWidget(m_metric);
    metricRow->addStretch(1);
    nbLayout->addLayout(metricRow);
    nbLayout->addWidget(m_neighbourTitle);
    nbLayout->addWidget(m_neighbours, 1);
    return nbPage;
}

QWidget* ExplorerView::buildRecommendPage() {
    auto* recPage = new QWidget;
    auto* recLayout = new QVBoxLayout(recPage);
    m_user = new QSpinBox;
    m_user->setToolTip(tr("A user, by their id in the data set"));
    auto* userRow = new QHBoxLayout;
    userRow->addWidget(new QLabel(tr("User:")));
    userRow->addWidget(m_user);
    userRow->addStretch(1);
    m_rated = listTable({tr("Rated highly"), tr("Stars")});
    m_recommended = listTable({tr("Recommended"), tr("Predicted")});
    m_recommended->setToolTip(tr("The highest predicted movies this user has not rated; click one to explain it"));
    m_explainTitle = new QLabel;
    m_explainTitle->setWordWrap(true);
    auto* lists = new QHBoxLayout;
    lists->addWidget(m_rated);
    lists->addWidget(m_recommended);
    m_explain =
        new BarChart(tr("Why this rating"), QString(), tr("Contribution to the score"), nullptr, Qt::Horizontal);
    m_explain->setValueFormat(QStringLiteral("%.2f"));
    m_explain->addSet(tr("contribution"), QColor(0x1f, 0x77, 0xb4));
    m_explain->setLegendVisible(false);
    recLayout->addLayout(userRow);
    recLayout->addLayout(lists, 1);
    recLayout->addWidget(m_explainTitle);
    recLayout->addWidget(m_explain, 1);
    return recPage;
}

void ExplorerView::connectControls() {
    connect(m_xAxis, &QComboBox::currentIndexChanged, this, [this] { refreshMap(); });
    connect(m_yAxis, &QComboBox::currentIndexChanged, this, [this] { refreshMap(); });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& t) {
        m_map->setHighlight(t);
        if (!t.isEmpty())
            m_status->setText(tr("%1 movies match \"%2\".").arg(m_map->highlightCount()).arg(t));
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (!selectMovieTitled(m_search->text()))
            m_status->setText(tr("No movie's title contains \"%1\".").arg(m_search->text()));
        else if (!m_factors)
            showPage(1); // no map to show it on: its neighbours
    });
    connect(m_map, &MapWidget::movieSelected, this, &ExplorerView::selectMovie);
    connect(m_map, &MapWidget::userSelected, this, [this](int user) {
        selectUser(static_cast<int32_t>(m_data->users.original(user)));
        showPage(2);
    });
    connect(m_colourBy, &QComboBox::currentIndexChanged, this, [this](int i) { setColour(static_cast<Colour>(i)); });
    connect(m_users, &QCheckBox::toggled, this, &ExplorerView::setUsersShown);
    connect(m_shown, &QComboBox::currentIndexChanged, this, [this](int i) { setAllMoviesShown(i == 1); });
    connect(m_layout, &QComboBox::currentIndexChanged, this, [this] { layoutChanged(); });
    connect(m_perplexity, &QDoubleSpinBox::valueChanged, this, [this] { requestTsne(); }); // restarts it
    connect(m_component, &QComboBox::currentIndexChanged, this, [this] { refreshComponents(); });
    connect(m_metric, &QComboBox::currentIndexChanged, this, [this] { refreshNeighbours(); });
    connect(m_end, &QComboBox::currentIndexChanged, this, [this] { refreshComponents(); });
    connect(m_user, &QSpinBox::valueChanged, this, [this] { refreshUser(); });
    connect(m_recommended, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (row >= 0)
            selectMovie(m_recommended->item(row, 0)->data(Qt::UserRole).toInt());
    });
}

} // namespace factorscope::ui
