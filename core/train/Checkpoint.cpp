#include "core/train/Checkpoint.h"

#include "core/analysis/DataViews.h"
#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/model/ModelImpl.h"
#include "core/train/FusedTrainer.h"
#include "core/train/Optimizers.h"
#include "core/train/SpecJson.h"
#include "core/train/TensorPack.h"
#include "core/train/TrainerImpl.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <zlib.h>

namespace factorscope {

using nlohmann::json;

namespace {

// A library's message for a one-line error: its first non-empty line, at most 200 characters.
std::string firstLine(const std::string& text) {
    std::size_t start = text.find_first_not_of("\n ");
    if (start == std::string::npos)
        return "no reason given";
    const std::size_t end = text.find('\n', start);
    return text.substr(start, std::min<std::size_t>(end == std::string::npos ? text.size() - start : end - start, 200));
}

constexpr char kMagic[16] = {'F', 'A', 'C', 'T', 'O', 'R', 'S', 'C', 'O', 'P', 'E', '-', 'C', 'K', 'P', 'T'};

template <class T> void put(std::string& out, T v) {
    for (std::size_t k = 0; k < sizeof(T); ++k)
        out.push_back(static_cast<char>((static_cast<uint64_t>(v) >> (8 * k)) & 0xFF));
}

void putBlob(std::string& out, const std::string& blob) {
    put<uint64_t>(out, blob.size());
    out += blob;
}

class Reader {
public:
    Reader(const std::string& bytes, const std::string& path) : m_b(bytes), m_path(path) {}
    template <class T> T get(const char* what) {
        need(sizeof(T), what);
        uint64_t v = 0;
        for (std::size_t k = 0; k < sizeof(T); ++k)
            v |= static_cast<uint64_t>(static_cast<unsigned char>(m_b[m_pos + k])) << (8 * k);
        m_pos += sizeof(T);
        return static_cast<T>(v);
    }
    std::string blob(const char* what) {
        const auto n = get<uint64_t>(what);
        need(n, what);
        std::string s = m_b.substr(m_pos, n);
        m_pos += n;
        return s;
    }
    std::size_t pos() const { return m_pos; }

private:
    void need(uint64_t n, const char* what) {
        if (n > m_b.size() - m_pos)
            throw CheckpointError(m_path + ": the file is truncated (it ends inside the " + what +
                                  "); it was not written completely, use an earlier checkpoint");
    }
    const std::string& m_b;
    const std::string& m_path;
    std::size_t m_pos = 0;
};

uint32_t crcOf(const char* data, std::size_t n) {
    uLong crc = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        const uInt chunk = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data), chunk);
        data += chunk;
        n -= chunk;
    }
    return static_cast<uint32_t>(crc);
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw CheckpointError(path + ": cannot open the checkpoint (does it exist, is it readable?)");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

void saveCheckpoint(const std::string& path, const Trainer& trainer, const Dataset& data) {
    CheckpointInfo info;
    info.users = data.users;
    info.items = data.items;
    info.datasetFormat = data.format;
    info.datasetSource = data.source;
    info.datasetRatings = data.ratings.size();
    info.scaleMin = data.scaleMin;
    info.scaleMax = data.scaleMax;
    for (int64_t id : data.items.originals()) {
        const Movie* m = data.catalogue.find(id);
        info.itemTitles.push_back(m ? m->title : "Movie " + std::to_string(id));
        info.itemGenres.push_back(m ? m->genres : 0);
    }
    info.itemRatingCounts = ratingCountPerItem(data);
    info.genreNames = data.catalogue.genreNames();
    saveCheckpoint(path, trainer, info);
}

void saveCheckpoint(const std::string& path, const Trainer& trainer, const CheckpointInfo& info) {
    const Model& model = trainer.model();
    json meta;
    meta["program_version"] = FACTORSCOPE_VERSION;
    meta["spec"] = toJson(trainer.spec());
    meta["users"] = info.users.originals();
    meta["items"] = info.items.originals();
    meta["dataset"] = {{"format", info.datasetFormat},
                       {"source", info.datasetSource},
                       {"ratings", info.datasetRatings},
                       {"scale_min", info.scaleMin},
                       {"scale_max", info.scaleMax}};
    json history = json::array();
    for (const auto& e : trainer.history())
        history.push_back(toJson(e));
    meta["history"] = history;
    if (!info.itemRatingCounts.empty())
        meta["item_counts"] = info.itemRatingCounts;
    meta["item_titles"] = info.itemTitles;
    meta["item_genres"] = info.itemGenres;
    meta["genre_names"] = info.genreNames;

    // Tensors from the CPU, so that a checkpoint written on a GPU loads anywhere.
    const std::string modelBytes = packTensors(weightsOf(*model.impl().net));
    const std::string optBytes = packedOptimizerState(trainer);

    std::string out(kMagic, sizeof kMagic);
    put<uint32_t>(out, kCheckpointFormat);
    putBlob(out, meta.dump());
    putBlob(out, modelBytes);
    putBlob(out, optBytes);
    put<uint32_t>(out, crcOf(out.data(), out.size()));

    writeFileAtomically(path, out, "the checkpoint");
}

LoadedCheckpoint loadCheckpoint(const std::string& path) {
    const std::string bytes = readAll(path);
    if (bytes.size() < sizeof kMagic || bytes.compare(0, sizeof kMagic, kMagic, sizeof kMagic) != 0)
        throw CheckpointError(path + ": not a Factorscope checkpoint (it does not start with the "
                                     "checkpoint signature); choose a file saved by Factorscope");
    Reader r(bytes, path);
    for (std::size_t k = 0; k < sizeof kMagic; ++k)
        r.get<uint8_t>("signature");
    const auto format = r.get<uint32_t>("format number");
    if (format > kCheckpointFormat)
        throw CheckpointError(path + ": written by a newer Factorscope (checkpoint format " + std::to_string(format) +
                              "; this build reads up to " + std::to_string(kCheckpointFormat) +
                              "); update Factorscope to open it");
    if (format == 0)
        throw CheckpointError(path + ": checkpoint format 0 is not valid; the file is damaged");
    const std::string metaText = r.blob("metadata");
    const std::string modelBytes = r.blob("model weights");
    std::string optimizerBytes = r.blob("optimiser state");
    const std::size_t body = r.pos();
    const auto crc = r.get<uint32_t>("checksum");
    if (crc != crcOf(bytes.data(), body))
        throw CheckpointError(path + ": the checksum does not match: the file is damaged; use an earlier checkpoint");

    LoadedCheckpoint out;
    CheckpointInfo& info = out.info;
    info.format = format;
    try {
        const json meta = json::parse(metaText);
        info.programVersion = meta.at("program_version").get<std::string>();
        info.spec = trainSpecFromJson(meta.at("spec"));
        info.users = IdMap::fromSorted(checkedIntegers<int64_t>(meta.at("users"), "the user ids"));
        info.items = IdMap::fromSorted(checkedIntegers<int64_t>(meta.at("items"), "the item ids"));
        const json& ds = meta.at("dataset");
        info.datasetFormat = ds.at("format").get<std::string>();
        info.datasetSource = ds.at("source").get<std::string>();
        info.datasetRatings = checkedInteger<std::size_t>(ds.at("ratings"), "the rating count");
        info.scaleMin = ds.at("scale_min").get<double>();
        info.scaleMax = ds.at("scale_max").get<double>();
        for (const auto& e : meta.at("history"))
            info.history.push_back(epochStatsFromJson(e));
        info.itemTitles = meta.at("item_titles").get<std::vector<std::string>>();
        info.itemGenres = checkedIntegers<uint64_t>(meta.at("item_genres"), "the item genres");
        info.genreNames = meta.at("genre_names").get<std::vector<std::string>>();
        if (meta.contains("item_counts"))
            info.itemRatingCounts = checkedIntegers<int64_t>(meta.at("item_counts"), "the item rating counts");
    } catch (const json::exception& e) {
        throw CheckpointError(path + ": the metadata is unreadable (" + std::string(e.what()) + ")");
    } catch (const CheckpointError& e) {
        throw CheckpointError(path + ": " + e.what());
    }
    if (info.itemTitles.size() != static_cast<std::size_t>(info.items.size()) ||
        (!info.itemRatingCounts.empty() && info.itemRatingCounts.size() != info.itemTitles.size()))
        throw CheckpointError(path + ": the metadata is inconsistent (item titles do not match the item map)");
    try {
        info.spec.model.validate();
        out.model = std::make_unique<Model>(info.spec.model, info.users.size(), info.items.size());
        if (format == 1) { // LibTorch's archive (see kCheckpointFormat)
            std::istringstream in(modelBytes);
            torch::serialize::InputArchive ar;
            ar.load_from(in);
            out.model->impl().net->load(ar);
        } else {
            loadWeights(*out.model->impl().net, unpackTensors(modelBytes, "the model weights"));
        }
    } catch (const CheckpointError& e) {
        throw CheckpointError(path + ": " + e.what());
    } catch (const c10::Error& e) {
        throw CheckpointError(path + ": the model weights do not load (" + firstLine(e.what_without_backtrace()) + ")");
    } catch (const SpecError& e) {
        throw CheckpointError(path + ": the stored model spec is invalid: " + e.what());
    } catch (const std::exception& e) { // LibTorch's deserialiser throws others too (torch::jit::ErrorReport)
        throw CheckpointError(path + ": the model weights do not load (" + firstLine(e.what()) + ")");
    }
    out.optimizerState = std::move(optimizerBytes);
    return out;
}

std::string packedOptimizerState(const Trainer& trainer) {
    NamedTensors optimizer = optimizerState(*trainer.impl().optimizer, trainer.spec().optimizer.kind);
    if (const auto& fused = trainer.impl().fused) // the fast path's row-wise state
        for (auto& named : fused->state())
            optimizer.push_back(std::move(named));
    return packTensors(optimizer);
}

void restoreOptimizerState(Trainer& trainer, OptimizerKind savedKind, uint32_t format, const std::string& bytes) {
    if (trainer.spec().optimizer.kind != savedKind)
        return; // a different optimiser starts with fresh state, as the user asked for
    try {
        FusedTrainer::NamedTensors fused;
        if (format == 1) { // LibTorch's archive (see kCheckpointFormat)
            std::istringstream in(bytes);
            torch::serialize::InputArchive ar;
            ar.load_from(in);
            trainer.impl().optimizer->load(ar);
            for (const auto& name : FusedTrainer::stateNames()) {
                torch::Tensor t;
                if (ar.try_read(name, t))
                    fused.emplace_back(name, t);
            }
        } else {
            const auto fusedNames = FusedTrainer::stateNames();
            NamedTensors dense;
            for (auto& named : unpackTensors(bytes, "the optimiser state")) {
                const bool isFused = std::find(fusedNames.begin(), fusedNames.end(), named.first) != fusedNames.end();
                (isFused ? fused : dense).push_back(std::move(named));
            }
            setOptimizerState(*trainer.impl().optimizer, trainer.spec().optimizer.kind, dense);
        }
        Trainer::Impl& d = trainer.impl();
        if (!fused.empty() && takesFusedPath(d.spec)) {
            if (!d.fused)
                d.fused = std::make_unique<FusedTrainer>(*d.model, d.spec);
            d.fused->setState(fused);
        }
    } catch (const c10::Error& e) {
        throw CheckpointError("the optimiser state does not load (" + firstLine(e.what_without_backtrace()) + ")");
    } catch (const std::exception& e) {
        throw CheckpointError("the optimiser state does not load (" + firstLine(e.what()) + ")");
    }
}

void restoreOptimizer(Trainer& trainer, const LoadedCheckpoint& ckpt) {
    restoreOptimizerState(trainer, ckpt.info.spec.optimizer.kind, ckpt.info.format, ckpt.optimizerState);
}

Dataset datasetFromCheckpoint(const CheckpointInfo& info) {
    Dataset d;
    d.format = info.datasetFormat;
    d.source = info.datasetSource;
    d.users = info.users;
    d.items = info.items;
    d.scaleMin = info.scaleMin;
    d.scaleMax = info.scaleMax;
    d.catalogue.setGenreNames(info.genreNames);
    for (int32_t k = 0; k < info.items.size(); ++k) {
        Movie m;
        m.id = info.items.original(k);
        m.title = info.itemTitles[k];
        m.year = Catalogue::yearFromTitle(m.title);
        m.genres = info.itemGenres[k];
        d.catalogue.add(std::move(m));
    }
    return d;
}

} // namespace factorscope
