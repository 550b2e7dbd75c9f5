// The employee directory is real CSV (RFC 4180) and joins by case-insensitive email.
#include <gtest/gtest.h>

#include "ingest/employees_csv.h"
#include "ingest/ingestor.h"
#include "support/test_support.h"

namespace cca::ingest {
namespace {

TEST(EmployeesCsv, ParsesQuotesCommasCrlfBomAndDoubledQuotes) {
  const std::string csv =
      "\xEF\xBB\xBF" "email,full_name,practice,level,location\r\n"
      "Ann.Lee@Example.com,\"Lee, Ann\",Data Engineering,L5,Germany\r\n"
      "bo@example.com,\"Bo \"\"The Builder\"\" Ng\",\"ML Engineering\",L3,\"United Kingdom\"\r\n"
      "cy@example.com,\"Cy\nMultiline\",Backend Engineering,L10,Poland";
  const EmployeesParse parsed = parse_employees_csv(csv);
  ASSERT_EQ(parsed.employees.size(), 3u);
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.employees[0].email, "ann.lee@example.com");
  EXPECT_EQ(parsed.employees[0].full_name, "Lee, Ann");
  EXPECT_EQ(parsed.employees[0].location, "Germany");
  EXPECT_EQ(parsed.employees[1].full_name, "Bo \"The Builder\" Ng");
  EXPECT_EQ(parsed.employees[1].location, "United Kingdom");
  EXPECT_EQ(parsed.employees[2].full_name, "Cy\nMultiline");
  EXPECT_EQ(parsed.employees[2].level, "L10");
}

TEST(EmployeesCsv, ColumnsMayComeInAnyOrderAndCase) {
  const EmployeesParse parsed =
      parse_employees_csv("Location,LEVEL,Email,Practice,Full_Name\nCanada,L2,a@x.com,Data,Al\n");
  ASSERT_EQ(parsed.employees.size(), 1u);
  EXPECT_EQ(parsed.employees[0].email, "a@x.com");
  EXPECT_EQ(parsed.employees[0].practice, "Data");
  EXPECT_EQ(parsed.employees[0].location, "Canada");
}

TEST(EmployeesCsv, BadRowsAreReportedWithTheirRowAndTheRestLoad) {
  const EmployeesParse parsed = parse_employees_csv(
      "email,full_name,practice,level,location\n"
      "a@x.com,A,Data,L1,Canada\n"
      "too,few\n"
      ",No Email,Data,L1,Canada\n"
      "b@x.com,B,Data,L2,Poland\n");
  EXPECT_EQ(parsed.employees.size(), 2u);
  ASSERT_EQ(parsed.errors.size(), 2u);
  EXPECT_EQ(parsed.errors[0].row, 3u);
  EXPECT_NE(parsed.errors[0].detail.find("2 fields"), std::string::npos);
  EXPECT_EQ(parsed.errors[1].row, 4u);
}

TEST(EmployeesCsv, AHeaderWithoutEmailIsAnError) {
  EXPECT_THROW(parse_employees_csv("name,practice\nA,Data\n"), IngestError);
  EXPECT_THROW(parse_employees_csv(""), IngestError);
  EXPECT_THROW(parse_employees_csv("email,name\n\"unterminated,x\n"), IngestError);
}

TEST(EmployeesCsv, LoadingReplacesTheDirectoryAndBumpsItsVersion) {
  test::TempDir dir;
  const std::string db = dir.file("store.db");
  Ingestor ingestor(db);
  EXPECT_EQ(ingestor.load_employees_csv("email,full_name,practice,level,location\n"
                                        "a@x.com,A,Data,L1,Canada\nb@x.com,B,ML,L2,Poland\n",
                                        "test"),
            2u);
  EXPECT_EQ(test::sql_int(db, "SELECT value FROM meta WHERE key = 'directory_version'"), 1);
  EXPECT_EQ(test::sql_int(db, "SELECT employees FROM ingests ORDER BY id DESC LIMIT 1"), 2);
  EXPECT_EQ(ingestor.load_employees_csv("email,full_name,practice,level,location\n"
                                        "a@x.com,A,Backend,L3,Canada\n",
                                        "test"),
            1u);
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM employees"), 1);
  EXPECT_EQ(test::sql_text(db, "SELECT practice FROM employees"), "Backend");
  EXPECT_EQ(test::sql_int(db, "SELECT value FROM meta WHERE key = 'directory_version'"), 2);
}

}  // namespace
}  // namespace cca::ingest
