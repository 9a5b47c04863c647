from rlm.parsing import extract_code_blocks, find_final, strip_code_blocks


def test_code_blocks_in_order_with_accepted_tags():
    text = (
        "Plan.\n```repl\na = 1\n```\ntext\n```python\nb = 2\n```\n```py\nc = 3\n```\n"
        '```json\n{"no": 1}\n```\n```\nuntagged\n```\n'
    )
    assert extract_code_blocks(text) == ["a = 1\n", "b = 2\n", "c = 3\n"]


def test_code_block_with_nested_backticks_in_string():
    text = "```repl\ns = '``'\nprint(s)\n```"
    assert extract_code_blocks(text) == ["s = '``'\nprint(s)\n"]


def test_final_text_outside_code_only():
    assert find_final("```repl\nFINAL(1)\n```") is None
    assert find_final("see `FINAL(x)` inline") is None
    call = find_final("```repl\nx=1\n```\nFINAL(42)")
    assert call is not None and call.kind == "FINAL" and call.value == 42


def test_final_nested_parentheses_quotes_and_lines():
    call = find_final('FINAL("a (b) c) \\" d")')
    assert call is not None and call.value == 'a (b) c) " d'
    call = find_final("FINAL(The answer is f(x) = (1 + 2)\nacross two lines)")
    assert call is not None and call.value == "The answer is f(x) = (1 + 2)\nacross two lines"
    call = find_final('FINAL("""multi\n(line)""")')
    assert call is not None and call.value == "multi\n(line)"


def test_final_apostrophe_in_prose_does_not_swallow_text():
    call = find_final("FINAL(it's (really) done) and more")
    assert call is not None and call.value == "it's (really) done"


def test_final_literals_and_final_var():
    assert find_final('FINAL({"a": [1, 2]})').value == {"a": [1, 2]}
    fv = find_final("FINAL_VAR(result)")
    assert fv.kind == "FINAL_VAR" and fv.value == "result"
    assert find_final("FINAL_VAR('result')").value == "result"


def test_final_unclosed_and_empty():
    assert find_final("FINAL(no closing paren").value == "no closing paren"
    assert find_final("FINAL()") is None
    assert find_final("MY_FINAL(1)") is None
    assert find_final("nothing here") is None


def test_last_final_wins():
    assert find_final("FINAL(1) ... actually FINAL(2)").value == 2


def test_strip_code_blocks():
    assert "x = 1" not in strip_code_blocks("a\n```repl\nx = 1\n```\nb")
