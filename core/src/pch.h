// SPDX-License-Identifier: MIT
// Precompiled header of alignscope_core (private): the heavy third-party headers.
#pragma once
#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
