#include "vigil/base/json_integer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace vigil::base {
namespace {

using nlohmann::json;

TEST(JsonIntegerTest, AcceptsWholeNumbersThatFit) {
  EXPECT_EQ(IntegerValue<int>(json(6), "x"), 6);
  EXPECT_EQ(IntegerValue<int>(json(6.0), "x"), 6);
  EXPECT_EQ(IntegerValue<int>(json(-3), "x"), -3);
  EXPECT_EQ(IntegerValue<size_t>(json(uint64_t{1} << 63), "x"), size_t{1} << 63);
  EXPECT_EQ(IntegerValue<int64_t>(json(-9007199254740992.0), "x"), -9007199254740992);
  EXPECT_EQ(IntegerValue<int>(json(2147483647), "x"), 2147483647);
}

// Each of these made nlohmann cast a float out of range (undefined behaviour) or wrap silently.
TEST(JsonIntegerTest, RejectsFractionsOutOfRangeAndOtherTypes) {
  for (const json& v :
       {json(6.5), json(7.55556e43), json(-1e300), json(2147483648.0), json(2147483648),
        json(-2147483649), json("6"), json(true), json(nullptr), json::array({6})}) {
    EXPECT_THROW(IntegerValue<int>(v, "x"), json::type_error) << v.dump();
  }
  EXPECT_THROW(IntegerValue<size_t>(json(-1), "x"), json::type_error);
  EXPECT_THROW(IntegerValue<size_t>(json(-1.0), "x"), json::type_error);
  EXPECT_THROW(IntegerValue<size_t>(json(18446744073709551616.0), "x"), json::type_error);
  EXPECT_THROW(IntegerValue<int>(json(std::numeric_limits<double>::quiet_NaN()), "x"),
               json::type_error);
}

TEST(JsonIntegerTest, AtAndOr) {
  const json j = {{"folds", 5}, {"bad", 1e30}};
  EXPECT_EQ(IntegerAt<int>(j, "folds"), 5);
  EXPECT_THROW(IntegerAt<int>(j, "missing"), json::out_of_range);
  EXPECT_EQ(IntegerOr<int>(j, "missing", 7), 7);
  EXPECT_EQ(IntegerOr<int>(j, "folds", 7), 5);
  EXPECT_THROW(IntegerOr<int>(j, "bad", 7), json::type_error);
  EXPECT_THROW(IntegerOr<int>(json::array(), "folds", 7), json::exception);
}

}  // namespace
}  // namespace vigil::base
