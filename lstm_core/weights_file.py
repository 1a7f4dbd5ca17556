"""Read the LSTM layers in a weights file written by PyTorch or Keras, with NumPy only.

    PyTorch  torch.nn.LSTM state dict in .safetensors or .npz: weight_ih_l0 (4H, I),
             weight_hh_l0 (4H, H), bias_ih_l0, bias_hh_l0 (4H,), gate order i, f, g, o
    Keras    keras.layers.LSTM's kernel (I, 4H), recurrent_kernel (H, 4H), bias (4H,), gate
             order i, f, c, o, in .weights.h5, .keras (a zip holding model.weights.h5) or .npz

`read_layers(filename, data)` finds every LSTM layer (a GRU or plain RNN is named, not read) and
raises ValueError with a sentence a user can act on for anything else. Nothing here imports
torch, keras, h5py or safetensors: safetensors is an 8-byte little-endian header length, a JSON
header and raw bytes; HDF5 is read by the small reader below, which knows exactly what Keras 3
writes (h5py's default: superblock 0, symbol-table groups, contiguous or compact little- or
big-endian floats) and names anything else (chunked or compressed data, newer superblocks).
"""
import dataclasses
import io
import json
import math
import re
import struct
import zipfile
import zlib

import numpy as np

from .lstm import LSTMParams

MAX_BYTES = 2_000_000  # a file, or everything unpacked from a zip: small cells' weights are kilobytes
MAX_OBJECTS = 10_000  # HDF5 groups and datasets visited, so a looping or hostile file ends
ZIP, HDF5 = b"PK\x03\x04", b"\x89HDF\r\n\x1a\n"
SAFETENSORS_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2"}  # BF16: top half of an f32
TORCH_NAME = re.compile(r"^(.*?)(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\d+)(_reverse)?$")
KERAS_NAME = re.compile(r"^(.*?)(recurrent_kernel|kernel|bias)$")
GATE_COUNTS = {4: "an LSTM", 3: "a GRU", 1: "a plain RNN"}  # gate blocks stacked in the weights
KERAS_2_HINT = ("no layer variables under 'layers/', where Keras 3 keeps them; a Keras 2 .h5 is laid "
                "out otherwise: load the model in Keras 3 and save_weights again")


@dataclasses.dataclass(frozen=True)
class LayerWeights:
    """One LSTM layer found in a file: where it was (`name`) and its float64 parameters."""

    name: str
    params: LSTMParams


@dataclasses.dataclass(frozen=True)
class Contents:
    """What a file holds: its LSTM layers, and a reason for each recurrent layer that is not one."""

    layers: tuple
    skipped: tuple  # "name: reason" strings


def read_layers(filename, data):
    """The LSTM layers of the file `filename` whose bytes are `data`; ValueError if there are none."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"the file is {len(data):,} bytes; the weights of a cell these pages show "
                         f"fit in a few kilobytes (at most {MAX_BYTES:,} bytes are read)")
    kind = _kind_from_name(filename)
    found = _describe(data)
    if found != _EXPECTED[kind]:
        raise ValueError(f"the file is named {kind} but holds {found}")
    try:
        arrays = _READERS[kind](data)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as err:
        raise ValueError(f"the zip archive is damaged ({str(err)[:120]})") from None
    keras_h5 = kind in (".weights.h5", ".h5", ".keras")
    layers, skipped = _layers_from_arrays(arrays, keras_h5)
    if not layers:
        why = "; ".join(skipped) or (KERAS_2_HINT if keras_h5 and not arrays else "no weights named like an LSTM's")
        raise ValueError(f"the file holds no LSTM layer ({why})")
    return Contents(tuple(layers), tuple(skipped))


def _kind_from_name(filename):
    """The file's format from its name: one of _READERS' keys."""
    name = str(filename).lower()
    for ext in _READERS:
        if name.endswith(ext):
            return ext
    raise ValueError(f"'{filename}' is not a weights file these pages read: use "
                     f"{', '.join(_READERS)}")


def _describe(data):
    """What the bytes are, from their first bytes, in words used in messages."""
    if data[:4] == ZIP:
        return "a zip archive"
    if data[:8] == HDF5:
        return "an HDF5 file"
    if len(data) >= 10 and data[8:9] == b"{" and int.from_bytes(data[:8], "little") <= len(data) - 8:
        return "a safetensors file"
    if data.lstrip()[:1] in (b"{", b"["):
        return "JSON text (a file of the page's own weights is named .json)"
    return "data of no format these pages read"


def _layers_from_arrays(arrays, keras_h5):
    """(LayerWeights list, skipped reasons) from named arrays, in torch's or Keras's names."""
    if keras_h5:
        groups = _keras_h5_groups(arrays)
    elif any(TORCH_NAME.match(k) for k in arrays):
        return _torch_layers(arrays)
    else:
        groups = _keras_npz_groups(arrays)
    layers, skipped = [], []
    for name, parts in groups.items():
        try:
            layers.append(LayerWeights(name, _keras_params(*parts)))
        except ValueError as err:
            skipped.append(f"{name}: {err}")
    return layers, skipped


def _torch_layers(arrays):
    """LSTM layers from state-dict names (any prefix, like 'lstm.'); directions '_reverse' apart."""
    groups = {}
    for key, value in arrays.items():
        match = TORCH_NAME.match(key)
        if match:
            prefix, part, layer, reverse = match.groups()
            groups.setdefault((prefix, int(layer), bool(reverse)), {})[part] = value
    layers, skipped = [], []
    for (prefix, layer, reverse), parts in sorted(groups.items()):
        name = f"{prefix.rstrip('._')} layer {layer}".strip() + (" (reverse direction)" if reverse else "")
        try:
            layers.append(LayerWeights(name, _torch_params(parts)))
        except ValueError as err:
            skipped.append(f"{name}: {err}")
    return layers, skipped


def _torch_params(parts):
    """LSTMParams from one torch layer's weight_ih, weight_hh and (optional) biases."""
    if "weight_hr" in parts:
        raise ValueError("it has a projection (proj_size > 0), which these pages do not show")
    if "weight_ih" not in parts or "weight_hh" not in parts:
        raise ValueError("weight_ih and weight_hh must both be there")
    w_ih, w_hh = (_matrix(parts[k], k) for k in ("weight_ih", "weight_hh"))
    H = w_hh.shape[1]
    _check_gates(w_hh.shape[0], H, f"weight_hh is {w_hh.shape}")
    rows = 4 * H
    if w_ih.shape[0] != rows:
        raise ValueError(f"weight_ih is {w_ih.shape} but weight_hh says 4H = {rows} rows")
    biases = [_vector(parts.get(k), k, rows) for k in ("bias_ih", "bias_hh")]
    return _finite(LSTMParams.from_torch(w_ih, w_hh, *biases))


def _keras_npz_groups(arrays):
    """prefix -> (kernel, recurrent_kernel, bias or None) for names like 'lstm/kernel'."""
    groups = {}
    for key, value in arrays.items():
        match = KERAS_NAME.match(key)
        if match:
            groups.setdefault(match.group(1), {})[match.group(2)] = value
    return {(prefix.strip("/._") or "lstm"): (parts.get("kernel"), parts.get("recurrent_kernel"),
                                              parts.get("bias"))
            for prefix, parts in groups.items() if "recurrent_kernel" in parts}


def _keras_h5_groups(arrays):
    """layer name -> its variables, for Keras 3's layout 'layers/<name>/cell/vars/0, 1, 2'.

    Only groups of two or three variables whose second is a matrix can be a recurrent cell (a
    Dense layer's second variable is its bias); optimizer variables live outside 'layers/'."""
    groups = {}
    for path, value in arrays.items():
        folder, _, index = path.rpartition("/")
        if path.startswith("layers/") and folder.endswith("/vars") and index.isdigit():
            groups.setdefault(folder, {})[int(index)] = value
    out = {}
    for folder, parts in groups.items():
        if sorted(parts) in ([0, 1], [0, 1, 2]) and np.ndim(parts[1]) == 2:
            name = folder[len("layers/"):].removesuffix("/vars").removesuffix("/cell")
            out[name] = (parts[0], parts[1], parts.get(2))
    return out


def _keras_params(kernel, recurrent_kernel, bias):
    """LSTMParams from a Keras layer's kernel, recurrent_kernel and (optional) bias."""
    if kernel is None:
        raise ValueError("it has a recurrent_kernel but no kernel")
    kernel, recurrent = _matrix(kernel, "kernel"), _matrix(recurrent_kernel, "recurrent_kernel")
    H = recurrent.shape[0]
    _check_gates(recurrent.shape[1], H, f"recurrent_kernel is {recurrent.shape}")
    if kernel.shape[1] != 4 * H:
        raise ValueError(f"kernel is {kernel.shape} but recurrent_kernel says 4H = {4 * H} columns")
    return _finite(LSTMParams.from_keras(kernel, recurrent, _vector(bias, "bias", 4 * H)))


def _check_gates(stacked, H, shape_text):
    """ValueError unless `stacked` rows (or columns) are 4 gate blocks of H, naming what it is."""
    if stacked == 4 * H and H >= 1:
        return
    what = GATE_COUNTS.get(stacked // H) if H and stacked % H == 0 else None
    if what:
        raise ValueError(f"it is {what}, not an LSTM ({shape_text}: {stacked // H} blocks of H = {H})")
    raise ValueError(f"{shape_text}, which is not 4 gates of H units")


def _matrix(value, name):
    """A float64 2-D array, or ValueError naming the weight."""
    arr = np.asarray(value)
    if arr.ndim != 2 or arr.dtype.kind not in "fiu" or 0 in arr.shape:
        raise ValueError(f"{name} must be a matrix of numbers, got shape {arr.shape} of {arr.dtype}")
    return arr.astype(np.float64)


def _vector(value, name, size):
    """A float64 bias of `size` (zeros if the layer has none), or ValueError naming it."""
    if value is None:
        return np.zeros(size)
    arr = np.asarray(value)
    if arr.shape != (size,) or arr.dtype.kind not in "fiu":
        raise ValueError(f"{name} must be {size} numbers, got shape {arr.shape}")
    return arr.astype(np.float64)


def _finite(params):
    """`params`, or ValueError if any weight is NaN or infinite."""
    for name, arr in params.arrays().items():
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} contains NaN or infinity")
    return params


def _read_npz(data):
    """Every array of an .npz archive (pickled objects refused)."""
    names = _zip_names(data)
    if "model.weights.h5" in names:
        raise ValueError("it is a Keras model archive: name it .keras")
    other = [n for n in names if not n.endswith(".npy")]
    if other:
        raise ValueError(f"the .npz holds '{other[0][:60]}', which is not a NumPy array")
    arrays = {}
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        for key in npz.files:
            try:
                arrays[key] = npz[key]
            except ValueError:
                raise ValueError(f"'{key}' in the .npz is not plain numbers") from None
    return arrays


def _read_keras(data):
    """The layers' datasets of model.weights.h5 inside a .keras zip."""
    names = _zip_names(data)
    if "model.weights.h5" not in names:
        hint = " (it holds NumPy arrays: name it .npz)" if any(n.endswith(".npy") for n in names) else ""
        raise ValueError(f"the .keras archive has no model.weights.h5{hint}")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return _read_keras_h5(z.read("model.weights.h5"))


def _read_keras_h5(data):
    """The layers' datasets of a Keras .weights.h5 file."""
    return read_hdf5(data, wanted=_keras_weight)


def _zip_names(data):
    """The member names of a zip that unpacks to at most MAX_BYTES; ValueError otherwise."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_BYTES:
        raise ValueError(f"the archive unpacks to {total:,} bytes; at most {MAX_BYTES:,} are read")
    return [i.filename for i in infos]


def read_safetensors(data):
    """name -> array from safetensors bytes: u64 header length, JSON header, raw little-endian data."""
    n = int.from_bytes(data[:8], "little")
    try:
        header = json.loads(data[8:8 + n])
        body = memoryview(data)[8 + n:]
        return {name: _safetensor(name, info, body) for name, info in header.items()
                if name != "__metadata__"}
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise ValueError(f"the safetensors header is malformed ({str(err)[:120]})") from None


def _safetensor(name, info, body):
    """One tensor of a safetensors file, checked against the header's dtype, shape and offsets."""
    if info["dtype"] not in SAFETENSORS_DTYPES:
        raise ValueError(f"tensor '{name}' is {info['dtype']}; only {', '.join(SAFETENSORS_DTYPES)} are read")
    dtype = np.dtype(SAFETENSORS_DTYPES[info["dtype"]])
    shape = tuple(int(d) for d in info["shape"])
    begin, end = (int(v) for v in info["data_offsets"])
    if min(shape, default=1) < 0 or not 0 <= begin <= end <= len(body) \
            or end - begin != math.prod(shape) * dtype.itemsize:
        raise ValueError(f"tensor '{name}' does not fit its offsets {begin}..{end}")
    arr = np.frombuffer(body[begin:end], dtype=dtype).reshape(shape)
    if info["dtype"] == "BF16":
        arr = (arr.astype(np.uint32) << 16).view(np.float32)
    return arr


def _keras_weight(path):
    """Whether an HDF5 dataset is a layer's variable (an optimizer's are not read)."""
    return path.startswith("layers/")


def read_hdf5(data, wanted=None):
    """path -> array of every dataset (for which `wanted(path)`, if given) in an HDF5 file as h5py
    writes it by default, as Keras 3 does."""
    try:
        return _HDF5(data, wanted).datasets()
    except (struct.error, IndexError, UnicodeDecodeError, OverflowError) as err:
        raise ValueError(f"the HDF5 file is cut short or damaged ({err})") from None
    except RecursionError:
        raise ValueError("the HDF5 file's groups are nested too deeply") from None


class _HDF5:
    """A reader of HDF5 superblock 0/1 files: symbol-table groups, contiguous or compact datasets.

    Layout reference: the HDF5 File Format Specification (version 0 superblock, version 1 object
    headers, v1 B-trees of group nodes, local heaps). Offsets and lengths are 8 bytes.
    """

    UNDEFINED = 2**64 - 1

    def __init__(self, data, wanted=None):
        self.data, self.wanted = data, wanted
        if data[:8] != HDF5:
            raise ValueError("the file is not HDF5")
        version = data[8]
        if version > 1:
            raise ValueError(f"HDF5 superblock version {version} (h5py libver='latest') is not read; "
                             "save with Keras's model.save_weights, which writes version 0")
        if data[13] != 8 or data[14] != 8:
            raise ValueError("HDF5 offsets and lengths must be 8 bytes")
        at = 24 + (4 if version == 1 else 0)  # v1 adds the indexed-storage K and 2 reserved bytes
        self.base = self.u64(at)
        self.root = self.u64(at + 32 + 8)  # root group's symbol-table entry: name offset, header address
        self.seen = set()

    def u64(self, at):
        return struct.unpack_from("<Q", self.data, at)[0]

    def addr(self, offset):
        """An absolute position in the file, or ValueError for an address outside it."""
        if offset == self.UNDEFINED or self.base + offset >= len(self.data):
            raise ValueError("the HDF5 file points outside itself (cut short or damaged)")
        return self.base + offset

    def datasets(self):
        """Walk every group from the root; path -> array for each dataset."""
        out = {}
        self.visit(self.root, "", out)
        return out

    def visit(self, header, path, out):
        """Read the object at `header`: recurse into a group, or read a dataset into out[path]."""
        if header in self.seen:
            return
        self.seen.add(header)
        if len(self.seen) > MAX_OBJECTS:
            raise ValueError(f"the HDF5 file has more than {MAX_OBJECTS:,} objects")
        messages = self.messages(header)
        if 0x11 in messages:  # symbol table: a group
            body = messages[0x11]
            for name, child in self.group_entries(self.u64(body), self.u64(body + 8)):
                self.visit(child, f"{path}/{name}" if path else name, out)
        elif 0x08 in messages:
            if self.wanted is None or self.wanted(path):
                out[path] = self.dataset(path, messages)
        elif 0x06 in messages or 0x02 in messages:
            raise ValueError(f"group '{path}' uses HDF5's newer link messages, which are not read")

    def messages(self, header):
        """type -> position of its body, for a version-1 object header and its continuations."""
        at = self.addr(header)
        if self.data[at] != 1:
            raise ValueError(f"HDF5 object header version {self.data[at]} is not read (only 1)")
        count, size = struct.unpack_from("<H4xI", self.data, at + 2)
        blocks, found, read = [(at + 16, size)], {}, 0
        while blocks and read < count:
            pos, length = blocks.pop(0)
            end = pos + length
            while pos + 8 <= end and read < count:
                kind, body_size, flags = struct.unpack_from("<HHB", self.data, pos)
                body, read = pos + 8, read + 1
                if flags & 0x02 and kind in (0x01, 0x03, 0x08):
                    raise ValueError("the HDF5 file shares a dataset's type or shape, which is not read")
                if kind == 0x10:  # continuation: more messages elsewhere
                    blocks.append((self.addr(self.u64(body)), self.u64(body + 8)))
                elif kind not in found:
                    found[kind] = body
                pos = body + body_size
        return found

    def group_entries(self, btree, heap):
        """(name, object header address) of every link in a symbol-table group."""
        names = self.heap_data(heap)
        entries = []
        for node in self.group_nodes(btree, depth=0):
            at = self.addr(node)
            if self.data[at:at + 4] != b"SNOD":
                raise ValueError("an HDF5 group node is damaged")
            count = struct.unpack_from("<H", self.data, at + 6)[0]
            for k in range(count):
                name_offset, header = struct.unpack_from("<QQ", self.data, at + 8 + 40 * k)
                end = self.data.find(b"\0", names + name_offset)
                if end < 0:
                    raise ValueError("an HDF5 group's names are damaged")
                entries.append((self.data[names + name_offset:end].decode("utf-8"), header))
        return entries

    def group_nodes(self, btree, depth):
        """Addresses of the symbol-table nodes under a version-1 group B-tree node."""
        at = self.addr(btree)
        if self.data[at:at + 4] != b"TREE" or self.data[at + 4] != 0 or depth > 32:
            raise ValueError("an HDF5 group index is damaged")
        level, used = struct.unpack_from("<BH", self.data, at + 5)
        children = [self.u64(at + 24 + 8 + 16 * k) for k in range(used)]  # key, child, key, ...
        if level == 0:
            return children
        return [n for child in children for n in self.group_nodes(child, depth + 1)]

    def heap_data(self, heap):
        """Position of a local heap's data segment (where group member names are)."""
        at = self.addr(heap)
        if self.data[at:at + 4] != b"HEAP":
            raise ValueError("an HDF5 name heap is damaged")
        return self.addr(self.u64(at + 24))

    def dataset(self, path, messages):
        """The array of a dataset from its dataspace, datatype and layout messages."""
        if 0x0B in messages:
            raise ValueError(f"dataset '{path}' is compressed or filtered; save it without compression")
        if 0x01 not in messages or 0x03 not in messages:
            raise ValueError(f"dataset '{path}' has no shape or type")
        shape = self.shape(messages[0x01])
        dtype = self.dtype(path, messages[0x03])
        count = math.prod(shape)
        nbytes = count * dtype.itemsize
        at = messages[0x08]
        version, layout = self.data[at], self.data[at + 1]
        if version not in (3, 4) or layout == 2:
            raise ValueError(f"dataset '{path}' is stored in chunks (layout {version}.{layout}); "
                             "only contiguous data is read")
        if layout == 0:  # compact: the data sit in the message
            start, size = at + 4, struct.unpack_from("<H", self.data, at + 2)[0]
        elif layout == 1:  # contiguous
            start, size = self.addr(self.u64(at + 2)), self.u64(at + 10)
        else:
            raise ValueError(f"dataset '{path}' has a storage layout ({layout}) that is not read")
        if size != nbytes or start + size > len(self.data):
            raise ValueError(f"dataset '{path}' holds {size} bytes, its shape {shape} needs {nbytes}")
        return np.frombuffer(self.data, dtype=dtype, count=count, offset=start).reshape(shape)

    def shape(self, at):
        """The dimensions in a dataspace message (version 1 or 2)."""
        version, ndim = self.data[at], self.data[at + 1]
        if version not in (1, 2) or ndim > 32:
            raise ValueError(f"an HDF5 dataspace of version {version} is not read")
        first = at + (8 if version == 1 else 4)
        return tuple(self.u64(first + 8 * k) for k in range(ndim))

    def dtype(self, path, at):
        """The NumPy dtype of an integer (class 0) or IEEE float (class 1) datatype message."""
        type_class, bits = self.data[at] & 0x0F, self.data[at + 1]
        size, offset, precision = struct.unpack_from("<IHH", self.data, at + 4)
        order = ">" if bits & 1 else "<"
        if type_class == 0 and size in (1, 2, 4, 8) and offset == 0 and precision == 8 * size:
            return np.dtype(f"{order}{'i' if bits & 0x08 else 'u'}{size}")
        if type_class == 1 and size in (2, 4, 8) and offset == 0 and precision == 8 * size \
                and not bits & 0x40:
            return np.dtype(f"{order}f{size}")
        raise ValueError(f"dataset '{path}' is not plain numbers (HDF5 type class {type_class})")


_READERS = {".safetensors": read_safetensors, ".npz": _read_npz, ".keras": _read_keras,
            ".weights.h5": _read_keras_h5, ".h5": _read_keras_h5}
_EXPECTED = {".safetensors": "a safetensors file", ".npz": "a zip archive", ".keras": "a zip archive",
             ".weights.h5": "an HDF5 file", ".h5": "an HDF5 file"}
