// Controls of each space family's parameters. Each change builds the next
// draft space and hands it to the editor, which validates it. An error is
// shown at the control whose field path the ValidationError names.
import { CELL_OPS, CONNECTIVITIES, SEQUENTIAL_OPS } from '../../core/space/types';
import type { CellSpace, SequentialSpace, StageSpec, StagesSpace } from '../../core/space/types';
import { ChecklistField, formatNumberList, parseNumber, parseNumberList, SelectField, TextField } from '../common/fields';
import type { FamilyFieldsProps } from './SpaceEditor';

const LIST_HINT = 'Comma-separated numbers.';

function NameField<S extends SequentialSpace | CellSpace | StagesSpace>({ draft, errorAt, update }: FamilyFieldsProps<S>) {
  return (
    <TextField
      label="Name"
      value={draft.name}
      error={errorAt('name')}
      onChange={(value) => update('name', null, { ...draft, name: value })}
    />
  );
}

/** Builds the props of a number-list control, e.g. depths "2, 3, 4". */
function listProps<S extends SequentialSpace | CellSpace | StagesSpace>(
  props: FamilyFieldsProps<S>,
  field: string,
  values: readonly number[],
  apply: (parsed: number[]) => S,
) {
  return {
    value: props.texts[field] ?? formatNumberList(values),
    error: props.errorAt(field),
    hint: LIST_HINT,
    inputMode: 'text' as const,
    onChange: (text: string) => props.update(field, text, apply(parseNumberList(text))),
  };
}

/** Builds the props of a single-number control, e.g. stem channels. */
function numberProps<S extends SequentialSpace | CellSpace | StagesSpace>(
  props: FamilyFieldsProps<S>,
  field: string,
  value: number,
  apply: (parsed: number) => S,
) {
  return {
    value: props.texts[field] ?? (Number.isNaN(value) ? '' : String(value)),
    error: props.errorAt(field),
    inputMode: 'numeric' as const,
    onChange: (text: string) => props.update(field, text, apply(parseNumber(text))),
  };
}

export function SequentialFields(props: FamilyFieldsProps<SequentialSpace>) {
  const { draft, errorAt, update } = props;
  return (
    <div className="field-grid">
      <NameField {...props} />
      <TextField label="Depths" {...listProps(props, 'depths', draft.depths, (depths) => ({ ...draft, depths }))} />
      <ChecklistField
        label="Operations"
        options={SEQUENTIAL_OPS}
        selected={draft.ops}
        error={errorAt('ops')}
        onChange={(ops) => update('ops', null, { ...draft, ops })}
      />
      <TextField label="Widths" {...listProps(props, 'widths', draft.widths, (widths) => ({ ...draft, widths }))} />
      <SelectField
        label="Connectivity"
        value={draft.connectivity}
        options={CONNECTIVITIES.map((value) => ({ value, label: value }))}
        error={errorAt('connectivity')}
        onChange={(connectivity) => update('connectivity', null, { ...draft, connectivity })}
      />
      <TextField
        label="Stem channels"
        {...numberProps(props, 'stemChannels', draft.stemChannels, (stemChannels) => ({ ...draft, stemChannels }))}
      />
      <TextField
        label="Downsample after layers"
        {...listProps(props, 'downsampleAfter', draft.downsampleAfter, (downsampleAfter) => ({ ...draft, downsampleAfter }))}
        hint="Layer indices (from 0) after which a 2x2 max pool halves the spatial size."
      />
    </div>
  );
}

export function CellFields(props: FamilyFieldsProps<CellSpace>) {
  const { draft, errorAt, update } = props;
  return (
    <div className="field-grid">
      <NameField {...props} />
      <ChecklistField
        label="Cell operations"
        options={CELL_OPS}
        selected={draft.ops}
        error={errorAt('ops')}
        onChange={(ops) => update('ops', null, { ...draft, ops })}
      />
      <TextField
        label="Cells per stage"
        {...numberProps(props, 'cellsPerStage', draft.cellsPerStage, (cellsPerStage) => ({ ...draft, cellsPerStage }))}
      />
      <TextField
        label="Stem channels"
        {...numberProps(props, 'stemChannels', draft.stemChannels, (stemChannels) => ({ ...draft, stemChannels }))}
      />
    </div>
  );
}

export function StagesFields(props: FamilyFieldsProps<StagesSpace>) {
  const { draft, update } = props;
  const replaceStage = (index: number, stage: StageSpec): StagesSpace => ({
    ...draft,
    stages: draft.stages.map((existing, i) => (i === index ? stage : existing)),
  });
  const addStage = () => {
    const last = draft.stages.at(-1);
    const stage: StageSpec = { channels: last ? last.channels * 2 : 16, stride: 2, depths: last ? [...last.depths] : [1, 2] };
    update('stages', null, { ...draft, stages: [...draft.stages, stage] });
  };
  const removeStage = (index: number) =>
    update('stages', null, { ...draft, stages: draft.stages.filter((_, i) => i !== index) });

  return (
    <div className="field-grid">
      <NameField {...props} />
      <TextField
        label="Stem channels"
        {...numberProps(props, 'stemChannels', draft.stemChannels, (stemChannels) => ({ ...draft, stemChannels }))}
      />
      <TextField label="Kernel sizes" {...listProps(props, 'kernelSizes', draft.kernelSizes, (kernelSizes) => ({ ...draft, kernelSizes }))} />
      <TextField
        label="Expansion ratios"
        {...listProps(props, 'expansionRatios', draft.expansionRatios, (expansionRatios) => ({ ...draft, expansionRatios }))}
      />
      <TextField
        label="Width multipliers"
        {...listProps(props, 'widthMultipliers', draft.widthMultipliers, (widthMultipliers) => ({ ...draft, widthMultipliers }))}
      />
      <fieldset className="stages field-wide">
        <legend>Stages</legend>
        {props.errorAt('stages', true) ? (
          <p className="field-error" role="alert">
            {props.errorAt('stages', true)}
          </p>
        ) : null}
        {draft.stages.map((stage, index) => (
          <div className="stage-row" key={index} role="group" aria-label={`Stage ${index + 1}`}>
            <span className="stage-title">Stage {index + 1}</span>
            <TextField
              label="Channels"
              {...numberProps(props, `stages[${index}].channels`, stage.channels, (channels) =>
                replaceStage(index, { ...stage, channels }),
              )}
            />
            <TextField
              label="Stride"
              {...numberProps(props, `stages[${index}].stride`, stage.stride, (stride) => replaceStage(index, { ...stage, stride }))}
            />
            <TextField
              label="Depths"
              {...listProps(props, `stages[${index}].depths`, stage.depths, (depths) => replaceStage(index, { ...stage, depths }))}
            />
            <button type="button" className="secondary" onClick={() => removeStage(index)} aria-label={`Remove stage ${index + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={addStage}>
          Add stage
        </button>
      </fieldset>
    </div>
  );
}
