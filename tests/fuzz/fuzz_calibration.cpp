// SPDX-License-Identifier: MIT
// libFuzzer target: the calibration readers (CSV as pandas reads it, Alpaca JSON/JSONL, prompt/response
// JSONL). The first byte picks the file's extension, the rest is the file. A file is read or refused
// with a DataError; what is read is valid UTF-8 with a response in every row.
#include "alignscope/calibration.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    static const char *const names[] = {"data.csv", "data.json", "data.jsonl"};
    const std::string file = fuzz::writeFile(names[data[0] % 3], data + 1, size - 1);
    try {
        const alignscope::CalibrationSet set = alignscope::readCalibrationSet(file);
        for (const auto &row : set.rows)
            if (!fuzz::validUtf8(row.prompt) || !fuzz::validUtf8(row.response) || !fuzz::validUtf8(row.text))
                __builtin_trap();
    } catch (const alignscope::DataError &) {
    }
    if (data[0] % 3 == 0) {
        try {
            const alignscope::CsvTable t = alignscope::readCsvTable(file);
            for (const auto &row : t.rows)
                if (row.size() != t.columns.size())
                    __builtin_trap();
        } catch (const alignscope::DataError &) {
        }
    }
    return 0;
}
