"""Writes the seed inputs of the Jazzer fuzz tests (run from anywhere; rerun after changing a stream below).

Each input is: one byte that picks the limits, one that seeds the chunking, then the stream itself
(see DecoderProperties.limits and the *FuzzTest classes). Crashes Jazzer finds land next to them as crash-*.
"""
import os, struct, hashlib
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'resources', 'io', 'courier', 'protocol')
def frame(h, b=b'', H=None, B=None):
    if isinstance(h, str): h = h.encode()
    return struct.pack('>II', len(h) if H is None else H, len(b) if B is None else B) + h + b
json_streams = [
    b'{"type":"ping","id":1}\n{"type":"echo","id":"a","text":"hi"}',
    b'{"type":"a"}{"type":"b"}  {"type":"c"}\r\n',
    b' \t\r\n{"type":"echo","body_base64":"aGVsbG8="}',
    b'{"type":"echo","body_base64":"not base64!"}',
    b'{"type":"t","\\ud83d\\ude00":1,"a\\uD83C\\uDF89":"\\ud83d\\ude00"}',
    '{"type":"é😀中","x":[1,-2.5e3,12345678901234567890123,true,false,null]}'.encode(),
    b'{"type":"t","n":1e400,"m":-1e-400}',
    b'{"type":"x",}',
    b'{"type":"x","a":}',
    b'[1,2]"ping" 42 null {"type":"ok"}',
    b'{"id":5}{"type":42}{"type":""}',
    b'{"type":"x","s":"a\x00b"}',
    b'{"type":"\xff\xfe"}',
    b'{"type":"x","s":"\xed\xa0\x80"}',
    b'\xef\xbb\xbf{"type":"bom"}',
    b'{"type":"deep","v":' + b'[' * 300 + b']' * 300 + b'}',
    b'{"type":"x","s":"' + b'y' * 100 + b'"}',
    b'"' + b'z' * 50,
    b'{"type":"x"}' * 10,
]
bin_streams = [
    frame('{"type":"ping","id":1}') + frame('{"type":"echo","id":2}', b'\x00\x01\x02body'),
    frame(b'', b'', H=0, B=0) + frame('{"type":"ping"}'),
    frame(b'', b'abc', H=0, B=3) + frame('{"type":"ping"}'),
    frame('{"type":"big"}', b'', B=0xffffffff),
    frame(b'{', b'', H=0x00ffffff, B=0xffffffff),
    frame('[1,2]') + frame('"s"') + frame('{"id":3}') + frame('{"type":7}'),
    frame('{"type":') + frame('{"type":"after"}'),
    frame(b'\x00\x00{"type":"utf16"}'),
    frame(b'\xfe\xff{"type":"bom"}'),
    frame('{"type":"x","ok":true,"id":null}'),
    frame(' {"type":"lead","id":[1,{"a":2}]} '),
    frame('{"type":"x"} {"type":"y"}'),
    frame('{"type":"x","s":"' + 'p' * 40 + '"}', b'q' * 30),
    frame('{"type":"deep","v":' + '[' * 300 + ']' * 300 + '}'),
    frame('{"type":"t","n":1e400}'),
    frame('{"type":"t","\\ud83d\\ude00":1}'),
]
other = [
    b'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
    bytes([0x16, 3, 1, 0, 0xa5, 1, 0, 0, 0xa1, 3, 3]) + bytes(range(40)),
    b'\x01\x02', b'[1]', b'"x"',
]
def write(d, streams):
    d = os.path.join(ROOT, d)
    os.makedirs(d, exist_ok=True)
    for i, s in enumerate(streams):
        for sel in (0, 7):
            data = bytes([sel, (i * 37 + sel) & 0xff]) + s
            name = 'seed-' + hashlib.sha1(data).hexdigest()[:16]
            open(os.path.join(d, name), 'wb').write(data)
write('ConnectionBytesFuzzTestInputs/anyBytesAConnectionSends', json_streams + bin_streams + other)
write('FrameDecoderFuzzTestInputs/anyBytesAsBinaryFrames', bin_streams)
write('JsonStreamDecoderFuzzTestInputs/anyBytesAsJsonText', json_streams)
