"""Site profiles: bundled ones load; bad ones fail with a message that names the file and the field."""

from pathlib import Path

import pytest

from crawler.profile import ProfileError, load_profile


def test_bundled_sample_profile_loads_with_its_variable():
    profile = load_profile("sample-a", {"base_url": "http://127.0.0.1:9"})
    assert profile.start_urls == ("http://127.0.0.1:9/",)
    assert profile.allowed_domains == ("127.0.0.1",)
    assert profile.is_article("http://127.0.0.1:9/tech/202610/t20261014_1043.html")
    assert not profile.is_article("http://127.0.0.1:9/tech/index_2.html")
    assert profile.is_listing("http://127.0.0.1:9/tech/index_2.html")


@pytest.mark.parametrize(
    "body, message",
    [
        ("name: x\nstart_urls: [http://a/]\n", "`article_url` is required"),
        ("name: x\narticle_url: 'a'\n", "at least one of start_urls"),
        ("name: x\narticle_url: '(['\nstart_urls: [http://a/]\n", "not a valid regular expression"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nstart_url: typo\n", "unknown keys ['start_url']"),
        ("name: x\narticle_url: a\nstart_urls: ['${base_url}/']\n", "no value for ${base_url}"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nprune_xpath: ['//div[']\n", "is not valid XPath"),
        ("name: x\narticle_url: a\nstart_urls: http://a/\n", "`start_urls` must be a list of strings"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nlisting_areas: ['//ul[']\n", "`listing_areas` entry"),
        ("name: x\narticle_url: a\nstart_urls: [http://a/]\nmax_listing_pages: lots\n", "must be a whole number"),
        ("[1, 2]\n", "a profile is a YAML mapping"),
        ("name: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_profiles_say_what_is_wrong(tmp_path: Path, body: str, message: str):
    path = tmp_path / "site.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ProfileError, match=None) as error:
        load_profile(str(path))
    assert message in str(error.value) and str(path) in str(error.value)


def test_unknown_profile_name_lists_the_bundled_ones():
    with pytest.raises(ProfileError, match="sample-a"):
        load_profile("no-such-site")
