// tests/unit/ident/phone_oracle.cc - the libphonenumber oracle for
// test_phone_oracle.c: reads one phone spelling per line on stdin and prints
// "E164<TAB>type" (or "invalid" / "error") per line, parsing with default
// region TW. Built only for the tests (tests/unit/ident/oracle.mk); rootcut
// itself never links libphonenumber.
#include <iostream>
#include <string>

#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

static const char *type_name(PhoneNumberUtil::PhoneNumberType t)
{
	switch (t) {
	case PhoneNumberUtil::MOBILE:
		return "mobile";
	case PhoneNumberUtil::FIXED_LINE:
		return "landline";
	case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
		return "landline_or_mobile";
	case PhoneNumberUtil::TOLL_FREE:
		return "toll_free";
	case PhoneNumberUtil::VOIP:
		return "voip";
	default:
		return "other";
	}
}

int main()
{
	const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
	std::string line;

	while (std::getline(std::cin, line)) {
		PhoneNumber number;
		std::string e164;

		if (util->Parse(line, "TW", &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
			std::cout << "error\n";
			continue;
		}
		if (!util->IsValidNumber(number)) {
			std::cout << "invalid\n";
			continue;
		}
		util->Format(number, PhoneNumberUtil::E164, &e164);
		std::cout << e164 << '\t' << type_name(util->GetNumberType(number)) << '\n';
	}
	return 0;
}
