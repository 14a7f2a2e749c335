// Validates a JSON document against a JSON Schema (draft 7) with valijson; prints every error.
// Usage: validate_json SCHEMA DOCUMENT [JSON-POINTER=EXPECTED-JSON ...]
// Each extra argument also checks one value of the document, e.g. /verdict="pass".
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace {

nlohmann::json load(const char* path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot open ") + path);
  return nlohmann::json::parse(in);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: validate_json SCHEMA DOCUMENT [POINTER=VALUE ...]\n";
    return 2;
  }
  try {
    const nlohmann::json schema_document = load(argv[1]);
    const nlohmann::json document = load(argv[2]);
    valijson::Schema schema;
    valijson::SchemaParser parser;
    parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(schema_document), schema);
    valijson::Validator validator;
    valijson::ValidationResults results;
    if (!validator.validate(schema, valijson::adapters::NlohmannJsonAdapter(document), &results)) {
      valijson::ValidationResults::Error e;
      while (results.popError(e)) {
        std::string context;
        for (const auto& part : e.context) context += part;
        std::cerr << context << ": " << e.description << "\n";
      }
      return 1;
    }
    for (int i = 3; i < argc; ++i) {
      const std::string check = argv[i];
      const auto eq = check.find('=');
      const nlohmann::json::json_pointer pointer(check.substr(0, eq));
      const nlohmann::json expected = nlohmann::json::parse(check.substr(eq + 1));
      if (!document.contains(pointer) || document.at(pointer) != expected) {
        std::cerr << check.substr(0, eq) << " is "
                  << (document.contains(pointer) ? document.at(pointer).dump() : "missing") << ", expected "
                  << expected.dump() << "\n";
        return 1;
      }
    }
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
