#include "core/train/Checkpoint.h"

#include "core/analysis/DataViews.h"
#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/io/SpecJson.h"
#include "core/model/ModelImpl.h"
#include "core/train/FusedTrainer.h"
#include "core/train/TrainerImpl.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <zlib.h>

namespace fs {

using nlohmann::json;

namespace {

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
    const Model& model = trainer.model();
    json meta;
    meta["program_version"] = FACTORSCOPE_VERSION;
    meta["spec"] = toJson(trainer.spec());
    meta["users"] = data.users.originals();
    meta["items"] = data.items.originals();
    meta["dataset"] = {{"format", data.format},
                       {"source", data.source},
                       {"ratings", data.ratings.size()},
                       {"scale_min", data.scaleMin},
                       {"scale_max", data.scaleMax}};
    json history = json::array();
    for (const auto& e : trainer.history())
        history.push_back(toJson(e));
    meta["history"] = history;
    std::vector<std::string> titles;
    std::vector<uint64_t> genres;
    titles.reserve(data.items.size());
    for (int64_t id : data.items.originals()) {
        const Movie* m = data.catalogue.find(id);
        titles.push_back(m ? m->title : "Movie " + std::to_string(id));
        genres.push_back(m ? m->genres : 0);
    }
    meta["item_counts"] = ratingCountPerItem(data);
    meta["item_titles"] = titles;
    meta["item_genres"] = genres;
    meta["genre_names"] = data.catalogue.genreNames();

    std::ostringstream modelBytes, optBytes;
    {
        torch::serialize::OutputArchive ar;
        auto net = model.impl().net;
        // Save from the CPU so that a checkpoint written on a GPU loads anywhere.
        const auto device = model.impl().device;
        net->to(torch::kCPU);
        net->save(ar);
        ar.save_to(modelBytes);
        net->to(device);
    }
    {
        torch::serialize::OutputArchive ar;
        trainer.impl().optimizer->save(ar);
        if (const auto& fused = trainer.impl().fused) // the fast path's row-wise state
            for (const auto& [name, value] : fused->state())
                ar.write(name, value);
        ar.save_to(optBytes);
    }

    std::string out(kMagic, sizeof kMagic);
    put<uint32_t>(out, kCheckpointFormat);
    putBlob(out, meta.dump());
    putBlob(out, modelBytes.str());
    putBlob(out, optBytes.str());
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
        info.users = IdMap::fromSorted(meta.at("users").get<std::vector<int64_t>>());
        info.items = IdMap::fromSorted(meta.at("items").get<std::vector<int64_t>>());
        const json& ds = meta.at("dataset");
        info.datasetFormat = ds.at("format").get<std::string>();
        info.datasetSource = ds.at("source").get<std::string>();
        info.datasetRatings = ds.at("ratings").get<std::size_t>();
        info.scaleMin = ds.at("scale_min").get<double>();
        info.scaleMax = ds.at("scale_max").get<double>();
        for (const auto& e : meta.at("history"))
            info.history.push_back(epochStatsFromJson(e));
        info.itemTitles = meta.at("item_titles").get<std::vector<std::string>>();
        info.itemGenres = meta.at("item_genres").get<std::vector<uint64_t>>();
        info.genreNames = meta.at("genre_names").get<std::vector<std::string>>();
        if (meta.contains("item_counts"))
            info.itemRatingCounts = meta.at("item_counts").get<std::vector<int64_t>>();
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
        std::istringstream in(modelBytes);
        torch::serialize::InputArchive ar;
        ar.load_from(in);
        out.model->impl().net->load(ar);
    } catch (const c10::Error& e) {
        throw CheckpointError(path + ": the model weights do not load (" +
                              std::string(e.what_without_backtrace()).substr(0, 200) + ")");
    } catch (const SpecError& e) {
        throw CheckpointError(path + ": the stored model spec is invalid: " + e.what());
    }
    out.optimizerState = std::move(optimizerBytes);
    return out;
}

void restoreOptimizer(Trainer& trainer, const LoadedCheckpoint& ckpt) {
    if (trainer.spec().optimizer.kind != ckpt.info.spec.optimizer.kind)
        return; // a different optimiser starts with fresh state, as the user asked for
    try {
        std::istringstream in(ckpt.optimizerState);
        torch::serialize::InputArchive ar;
        ar.load_from(in);
        trainer.impl().optimizer->load(ar);
        FusedTrainer::NamedTensors fused;
        for (const auto& name : FusedTrainer::stateNames()) {
            torch::Tensor t;
            if (ar.try_read(name, t))
                fused.emplace_back(name, t);
        }
        Trainer::Impl& d = trainer.impl();
        if (!fused.empty() && d.spec.engine != Engine::General && fusedPathApplies(d.spec)) {
            if (!d.fused)
                d.fused = std::make_unique<FusedTrainer>(*d.model, d.spec);
            d.fused->setState(fused);
        }
    } catch (const c10::Error& e) {
        throw CheckpointError("the optimiser state does not load (" +
                              std::string(e.what_without_backtrace()).substr(0, 200) + ")");
    }
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

} // namespace fs
