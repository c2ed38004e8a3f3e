#include "app/cli/SpecArgs.h"

#include "core/runs/RunStore.h"

#include "core/common/Error.h"
#include "core/train/SpecFields.h"

namespace factorscope::cli {

namespace {

std::string metavar(const SpecField& f) {
    if (*f.metavar)
        return f.metavar;
    switch (f.type) {
    case FieldType::Flag:
        return "";
    case FieldType::Integer:
        return "N";
    case FieldType::Real:
        return "X";
    case FieldType::Choice: {
        std::string out;
        for (const auto& c : f.choices)
            out.append(out.empty() ? "" : "|").append(c);
        return out;
    }
    case FieldType::Text:
        return "VALUE";
    case FieldType::Integers:
    case FieldType::Reals:
        return "A,B,...";
    case FieldType::Pair:
        return "A,B";
    case FieldType::OptionalPair:
        return "MIN,MAX|none";
    }
    return "";
}

// One flag's entry: "  --name META" in a 26-column margin, the help wrapped beside it.
void helpEntry(std::string& out, const std::string& flag, const std::string& text) {
    constexpr std::size_t margin = 26, width = 92;
    out += "  " + flag;
    std::size_t column = 2 + flag.size();
    if (column + 1 >= margin) {
        out += "\n";
        column = 0;
    }
    std::string word;
    bool first = true;
    auto put = [&] {
        if (word.empty())
            return;
        if (first || column + 1 + word.size() > width) {
            if (!first)
                out += "\n";
            out += std::string(margin - (first ? column : 0), ' ');
            column = margin;
        } else {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        word.clear();
        first = false;
    };
    for (char c : text) {
        if (c == ' ')
            put();
        else
            word += c;
    }
    put();
    out += "\n";
}

} // namespace

std::string trainFlagsHelp() {
    std::string out;
    const TrainSpec defaults = TrainSpec::defaults();
    for (auto group :
         {FieldGroup::Data, FieldGroup::Model, FieldGroup::Optimiser, FieldGroup::Schedule, FieldGroup::Training}) {
        out += toString(group) + ":\n";
        if (group == FieldGroup::Data) {
            helpEntry(out, "--data PATH|demo", "MovieLens folder or .zip, a user,item,rating CSV/TSV, or demo");
            helpEntry(out, "--lenient", "skip malformed lines (counted) instead of stopping");
            helpEntry(out, "--scale MIN,MAX", "the rating scale (default 0.5,5)");
        }
        for (const auto& f : specFields()) {
            if (f.group != group)
                continue;
            const std::string meta = metavar(f);
            const std::string name = std::string("--") + f.name;
            const std::string flag = f.type == FieldType::Flag ? name + ", --no-" + f.name : name + " " + meta;
            helpEntry(out, flag, std::string(f.help) + " (default " + formatFieldValue(f, f.get(defaults)) + ")");
        }
    }
    return out;
}

std::set<std::string> trainSwitches(std::set<std::string> others) {
    others.insert("lenient");
    for (const auto& f : specFields())
        if (f.type == FieldType::Flag) {
            others.insert(f.name);
            others.insert(std::string("no-") + f.name);
        }
    return others;
}

LoadOptions loadOptionsFromArgs(Args& args) {
    LoadOptions o;
    o.lenient = args.flag("lenient");
    if (auto s = args.reals("scale", -1e6, 1e6)) {
        if (s->size() != 2 || (*s)[0] >= (*s)[1])
            throw UsageError("--scale: expected MIN,MAX with MIN < MAX");
        o.scaleMin = (*s)[0];
        o.scaleMax = (*s)[1];
    }
    return o;
}

TrainSpec trainSpecFromArgs(Args& args, TrainSpec s) {
    try {
        for (const auto& f : specFields()) {
            if (f.type == FieldType::Flag) {
                const bool on = args.flag(f.name), off = args.flag(std::string("no-") + f.name);
                if (on && off)
                    throw UsageError(std::string("--") + f.name + " and --no-" + f.name + ": give one of them");
                if (on || off)
                    f.set(s, on);
            } else if (auto v = args.text(f.name)) {
                applyField(s, f, *v);
            }
        }
        s.validate();
    } catch (const SpecError& e) {
        throw UsageError("--" + std::string(e.what()));
    }
    return s;
}

void defaultSplit(Args& args, const Dataset& data, TrainSpec& spec) {
    if (args.has("split"))
        return;
    for (const auto& s : data.predefinedSplits)
        if (s == "ua") {
            spec.split = SplitSpec::parse("ua");
            return;
        }
}

std::optional<std::string> runsDbFromArgs(Args& args) {
    const auto db = args.text("runs-db");
    if (args.flag("no-record"))
        return std::nullopt;
    return db ? *db : RunStore::defaultPath();
}

const char* const kRecordFlagsHelp = "Run store:\n"
                                     "  --runs-db FILE          record the run here (default $FACTORSCOPE_RUNS_DB or\n"
                                     "                          ~/.local/share/factorscope/runs.sqlite)\n"
                                     "  --no-record             do not record the run\n";

} // namespace factorscope::cli
