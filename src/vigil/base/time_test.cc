#include "vigil/base/time.h"

#include <gtest/gtest.h>

namespace vigil::base {
namespace {

TEST(TimeTest, ParsesEveryPrecision) {
  auto y = ParseIso8601("2012");
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y->precision, TimePrecision::kYear);
  EXPECT_EQ(FormatIso8601(y->instant), "2012-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(ParseIso8601("2012-03")->instant), "2012-03-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(ParseIso8601("2012-03-04")->instant), "2012-03-04T00:00:00Z");
  EXPECT_EQ(FormatIso8601(ParseIso8601("2012-03-04T05:06")->instant), "2012-03-04T05:06:00Z");
  EXPECT_EQ(FormatIso8601(ParseIso8601("2012-03-04T05:06:07Z")->instant), "2012-03-04T05:06:07Z");
  EXPECT_EQ(FormatIso8601(ParseIso8601("2012-03-04T05:06:07.25Z")->instant),
            "2012-03-04T05:06:07.250000Z");
  EXPECT_EQ(ParseIso8601("2012-03-04T05:06:07.25Z")->precision, TimePrecision::kFraction);
}

TEST(TimeTest, AppliesZoneOffsets) {
  EXPECT_EQ(FormatIso8601(ParseIso8601("2012-03-04T05:06:07+02:00")->instant),
            "2012-03-04T03:06:07Z");
  EXPECT_EQ(FormatIso8601(ParseIso8601("2012-12-31T23:30:00-01:00")->instant),
            "2013-01-01T00:30:00Z");
}

TEST(TimeTest, RejectsMalformedText) {
  for (const char* bad :
       {"", "201", "2012-13", "2012-02-30", "2012-01-01T24:00", "2012-01-01T10:61",
        "2012-01-01T10:00:00+15:00", "2012-01-01T10:00:00Zjunk", "abcd", "2012-01-01T10:00:00.",
        "0000-01-01", "2012-1-1"}) {
    EXPECT_FALSE(ParseIso8601(bad).ok()) << bad;
  }
}

TEST(TimeTest, ErrorMessagesQuoteNothing) {
  auto r = ParseIso8601("1987-02-30");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("1987"), std::string::npos);
}

TEST(TimeTest, LeapDayIsValidOnlyInLeapYears) {
  EXPECT_TRUE(ParseIso8601("2000-02-29").ok());
  EXPECT_FALSE(ParseIso8601("1900-02-29").ok());
}

TEST(TimeTest, FormatsOffsets) {
  EXPECT_EQ(FormatOffsetHoursMinutes(Hours(47) + Minutes(25)), "+47:25");
  EXPECT_EQ(FormatOffsetHoursMinutes(-Minutes(90)), "-01:30");
}

}  // namespace
}  // namespace vigil::base
