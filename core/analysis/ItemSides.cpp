#include "core/analysis/ItemSides.h"

#include "core/common/Error.h"
#include "core/model/Classic.h"
#include "core/model/ModelImpl.h"

namespace factorscope {

ItemSide itemSideOf(const Model& model, const IdMap& items) {
    const ModelSpec& spec = model.spec();
    ItemSide side;
    side.ids = items.originals();
    if (spec.kind == ModelKind::Baseline)
        throw SpecError("a baseline model has only biases, no movie embeddings or neighbours to compare");
    if (spec.kind != ModelKind::Knn) {
        side.factors = model.itemFactors();
        return side;
    }
    if (spec.knnOn != KnnOn::Items)
        throw SpecError("a user-based kNN model's neighbours are users, not movies: compare an "
                        "item-based one (neighbours: items)");
    const auto* knn = dynamic_cast<const KnnModelImpl*>(model.impl().net.get());
    if (!knn)
        throw SpecError("the kNN model's tables are missing");
    std::vector<torch::Tensor> keep;
    const KnnView v = knn->view(keep);
    side.neighbours.resize(static_cast<std::size_t>(v.rows));
    for (int32_t r = 0; r < v.rows; ++r)
        side.neighbours[static_cast<std::size_t>(r)].assign(v.neighbours + v.neighbourOffsets[r],
                                                            v.neighbours + v.neighbourOffsets[r + 1]);
    return side;
}

} // namespace factorscope
