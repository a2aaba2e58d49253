#include "vigil/cli/command.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "vigil/cli/progress.h"

namespace vigil::cli {
namespace {

// Parses `args` (after the program name) into an app with one checked option; returns the error
// text, empty when the value is accepted.
std::string ParseError(const std::vector<std::string>& args, double minimum) {
  CLI::App app("test");
  int value = 5;
  app.add_option("--patients", value, "How many")->check(AtLeast(minimum));
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return "";
}

TEST(CommandTest, AtLeastNamesTheBoundAndTheValueGiven) {
  EXPECT_EQ(ParseError({"--patients", "3"}, 1), "");
  EXPECT_EQ(ParseError({"--patients", "1"}, 1), "");
  EXPECT_EQ(ParseError({"--patients", "0"}, 0), "");
  EXPECT_EQ(ParseError({"--patients", "0"}, 1), "--patients: must be at least 1 (got 0)");
  EXPECT_EQ(ParseError({"--patients", "-2"}, 0), "--patients: must be at least 0 (got -2)");
  // Not a number at all: said so, not a range of doubles.
  EXPECT_EQ(ParseError({"--patients", "many"}, 1), "--patients: must be a number");
}

TEST(CommandTest, BetweenNamesBothBounds) {
  CLI::App app("test");
  int threads = 0;
  app.add_option("--threads", threads)->check(Between(0, kMaxThreads));
  EXPECT_NO_THROW(app.parse(std::vector<std::string>{"1024", "--threads"}));
  EXPECT_EQ(threads, 1024);
  try {
    app.parse(std::vector<std::string>{"100000", "--threads"});
    ADD_FAILURE() << "100000 threads accepted";
  } catch (const CLI::ParseError& e) {
    EXPECT_STREQ(e.what(), "--threads: must be between 0 and 1024 (got 100000)");
  }
}

TEST(CommandTest, ThreadsAreBoundedAndLoweredToTheCores) {
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  auto parse = [](const std::string& value) {
    CLI::App app("test");
    int threads = -1;
    AddThreadsOption(app, threads);
    app.parse(std::vector<std::string>{value, "--threads"});
    return threads;
  };
  EXPECT_EQ(parse("0"), 0);  // one per core, resolved by each module
  EXPECT_EQ(parse("1"), 1);
  EXPECT_EQ(parse("1000"), std::min(1000, cores));
  EXPECT_THROW(parse("100000"), CLI::ValidationError);
  EXPECT_THROW(parse("-1"), CLI::ValidationError);
}

TEST(CommandTest, SeedsAreWholeNumbersThatFitSixtyFourBits) {
  auto parse = [](const std::string& value) {
    CLI::App app("test");
    uint64_t seed = 7;
    AddSeedOption(app, seed, "seed");
    app.parse(std::vector<std::string>{value, "--seed"});
    return seed;
  };
  EXPECT_EQ(parse("0"), 0u);
  EXPECT_EQ(parse("18446744073709551615"), UINT64_MAX);
  EXPECT_THROW(parse("-1"), CLI::ValidationError);  // CLI11 alone wrapped it to UINT64_MAX
  EXPECT_THROW(parse("18446744073709551616"), CLI::ValidationError);
  EXPECT_THROW(parse("1.5"), CLI::ValidationError);
  EXPECT_THROW(parse("abc"), CLI::ValidationError);
  try {
    parse("-1");
  } catch (const CLI::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("must be a whole number from 0 to 18446744073709551615 "
                                         "(got -1)"),
              std::string::npos)
        << e.what();
  }
}

TEST(CommandTest, ElapsedTimeReadsInSecondsMinutesOrHours) {
  EXPECT_EQ(ElapsedText(0.4), "0 s");
  EXPECT_EQ(ElapsedText(59.9), "59 s");
  EXPECT_EQ(ElapsedText(187), "3 min 07 s");
  EXPECT_EQ(ElapsedText(3900), "1 h 05 min");
}

}  // namespace
}  // namespace vigil::cli
