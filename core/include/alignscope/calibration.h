// SPDX-License-Identifier: MIT
// Calibration data (spec §1): the paper's CSV files (",prompt,response,text"), alpaca-style JSON and
// JSONL, and plain prompt/response JSONL; the reference's sample selection (numpy's
// default_rng(seed).permutation, re-implemented bit for bit: spec Appendix A); and the tokenization
// with its label mask (spec §1.3, §1.5). Plain C++: no torch.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace alignscope {

class Tokenizer;

/** A data file that cannot be read; the message names the file (and the line where known). */
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CalibrationRow {
    std::string prompt;    ///< e.g. "[INST] Write a tutorial on how to … [/INST]"
    std::string response;  ///< e.g. " I cannot fulfill your request. …" (leading space kept)
    std::string text;      ///< the "text" column where the file has one (entangled mode), else prompt + " " + response
};

struct CalibrationSet {
    std::string file;
    std::string format;               ///< "csv", "alpaca-json", "alpaca-jsonl", "prompt-response-jsonl"
    std::string fingerprint;          ///< 16 hex digits of a 64-bit FNV-1a hash of the file's bytes
    std::vector<CalibrationRow> rows; ///< in file order (0-based data-row positions, as the reference addresses them)
};

/** A CSV file as pandas reads it: the header's column names and the records (with the line each starts on). */
struct CsvTable {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::int64_t> lines;
    /** Index of a column, or -1. */
    int column(const std::string &name) const;
};
/** Reads an RFC 4180 CSV file (quoted commas, doubled quotes and newlines; a BOM; CRLF). Throws DataError
 *  naming the file and line (unclosed quote, a record whose field count differs from the header's). */
CsvTable readCsvTable(const std::string &file);

/**
 * Reads a calibration file, by extension:
 *  - .csv: RFC 4180 as pandas reads it (quoted fields may hold commas, quotes "" and newlines; leading
 *    spaces kept); needs the columns "prompt" and "response"; "text" is used when present;
 *  - .json: an array of objects; .jsonl: one object per line. Each object has "prompt" and "response",
 *    or alpaca's "instruction", optional "input", and "output"; an alpaca row becomes the prompt
 *    "[INST] {instruction} [/INST]" (with "\n\n{input}" after the instruction when non-empty) and the
 *    response " {output}", as in the paper's utility CSV.
 * Throws DataError naming the file, the line and the problem.
 */
CalibrationSet readCalibrationSet(const std::string &file);

/** numpy.random.default_rng(seed).permutation(n), bit for bit (SeedSequence → PCG64 → Fisher–Yates). */
std::vector<std::int64_t> numpyPermutation(std::uint64_t seed, std::int64_t n);

/** Python's random.Random(seed).shuffle(list(range(n))), bit for bit (MT19937, init_by_array, _randbelow by
 *  getrandbits): the order in which lm-eval 0.3.0 takes a task's documents before its limit (seed 42). */
std::vector<std::int64_t> pythonShuffle(std::uint64_t seed, std::int64_t n);

/** The rows the reference selects (spec §1.2): the first `nsamples` of numpyPermutation(seed, rows).
 *  Throws DataError when nsamples > rows or nsamples < 1. */
std::vector<std::int64_t> selectCalibrationRows(std::int64_t rows, std::int64_t nsamples, std::uint64_t seed);

struct CalibrationExample {
    std::int64_t row = 0;               ///< the data row it came from
    std::vector<std::int64_t> ids;      ///< [BOS] + encode(prompt) ‖ encode(response), no EOS, no padding
    std::int64_t promptLength = 0;      ///< p_len: positions [0, p_len) are the prompt (label −100)
    bool truncated = false;             ///< cut to maxLength
    /** Response positions M = [p_len, L): the tokens the loss scores and the activations counted. */
    std::int64_t responseLength() const { return std::int64_t(ids.size()) - promptLength; }
};

/**
 * Tokenizes the selected rows (spec §1.3): P = the prompt encoded with the tokenizer's special
 * tokens (BOS for Llama 2), R = the response encoded without them; ids = P ‖ R. With maxLength > 0 a
 * longer example is cut to maxLength tokens (the response is shortened; `truncated` is set); 0 keeps
 * every example whole, as the reference does.
 */
std::vector<CalibrationExample> tokenizeCalibration(const Tokenizer &tokenizer, const CalibrationSet &set,
                                                    const std::vector<std::int64_t> &rows, std::int64_t maxLength = 0,
                                                    std::int64_t context = 0);

/**
 * The length limit of one example: `tokens` must fit in the model's `context` (max_position_embeddings;
 * 0: no limit). Longer inputs are mistakes (a file of another kind, a missing line break) whose memory
 * grows with the square of their length; they are refused before any work. Throws DataError
 * "WHAT is N tokens long, more than the model's context of C tokens (max_position_embeddings)[; HINT]".
 */
void checkContextLength(std::int64_t tokens, std::int64_t context, const std::string &what, const std::string &hint = {});

/** 16 hex digits of the 64-bit FNV-1a hash of `bytes` (fingerprints of files and settings). */
std::string fingerprintBytes(const std::string &bytes);

} // namespace alignscope
